using ImageRestoration.Data;
using ImageRestoration.Degradations;
using ImageRestoration.Metrics;
using ImageRestoration.Models;
using ImageRestoration.Photos;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>The photo loader and writer, the patch sampler, the noise estimator and the tiled restorer, on small pictures.</summary>
public sealed class PhotoTests
{
    public PhotoTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void APngWrittenAndReadBackKeepsEveryPixel(int channels)
    {
        using var temp = new TempDirectory();
        using var picture = PhotoFixtures.Smooth(channels, 21, 34);
        PhotoFile.WritePng(picture, temp.File("p.png"));
        using var read = PhotoFile.Read(temp.File("p.png"));

        Assert.Equal(new long[] { channels, 21, 34 }, read.shape);
        using var expected = picture.mul(255).round().div(255);
        Assert.True(read.allclose(expected, atol: 1e-6), "the PNG round trip changed pixels");
    }

    [Fact]
    public void AJpegIsReadInColourCloseToWhatWasEncoded()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("p.jpg"), PhotoFixtures.Jpeg(40, 30));
        using var read = PhotoFile.ReadBytes(temp.File("p.jpg"));

        Assert.Equal(new long[] { 3, 30, 40 }, read.shape);
        // The red channel rises from left to right as encoded (x * 255 / width), within JPEG's loss.
        Assert.InRange(read[0, 15, 39].item<byte>() - read[0, 15, 0].item<byte>(), 200, 255);
    }

    [Fact]
    public void PatchesAreTheSameForTheSameSeedAndDifferForAnother()
    {
        using var picture = PhotoFixtures.Smooth(1, 60, 50);
        using var a = PatchSampler.Sample([picture], 8, 16, seed: 3);
        using var b = PatchSampler.Sample([picture], 8, 16, seed: 3);
        using var c = PatchSampler.Sample([picture], 8, 16, seed: 4);

        Assert.Equal(new long[] { 8, 1, 16, 16 }, a.shape);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(50)]
    public void TheNoiseEstimateOfASmoothPictureIsWithinFivePercent(double sigma)
    {
        using var picture = PhotoFixtures.Smooth(1, 256, 256);
        using var noisy = picture + sigma / 255 * randn(picture.shape, generator: new Generator(5));

        Assert.InRange(NoiseLevel.Estimate(noisy) * 255, sigma * 0.95, sigma * 1.05);
    }

    [Theory]
    [InlineData(ModelCatalog.Photo, 70, 95, 32)]
    [InlineData(ModelCatalog.PhotoHalf, 70, 95, 32)]
    [InlineData(ModelCatalog.PhotoHalf, 71, 95, 33)]
    [InlineData(ModelCatalog.PhotoHalf, 101, 67, 45)]
    public void TheTiledResultEqualsTheUntiledOne(string kind, int height, int width, int tile)
    {
        random.manual_seed(1);
        using var model = (NoiseResidualNetwork)ModelCatalog.Create(kind);
        using var picture = PhotoFixtures.Smooth(3, height, width);
        using var noisy = new GaussianNoise(25.0 / 255).ApplyOnce(picture, 2);
        using var whole = PhotoDenoiser.Restore(model, noisy, tile: 1000);
        using var tiled = PhotoDenoiser.Restore(model, noisy, tile: tile);

        Assert.Equal(noisy.shape, whole.shape);
        Assert.True(whole.sub(tiled).abs().max().item<float>() <= 1e-4f, "tiles changed the result");
    }

    [Fact]
    public void TheHalfResolutionModelSeesItsReceptiveRadiusAndNoFurther()
    {
        random.manual_seed(1);
        using var model = (NoiseResidualNetwork)ModelCatalog.Create(ModelCatalog.PhotoHalf);
        using var _ = no_grad();
        var radius = model.ReceptiveRadius;
        using var picture = full(1, 1, 2 * radius + 9, 2 * radius + 9, 0.5f);
        using var before = model.forward(picture);
        foreach (var centre in new[] { radius + 4, radius + 5 })
        {
            using var within = picture.clone();
            // An odd pixel is the right one of its 2x2 block, so it sees a full radius to its left; an even one to its right.
            within[0, 0, centre, centre % 2 == 1 ? centre - radius : centre + radius] = tensor(0.9f);
            using var beyond = picture.clone();
            beyond[0, 0, centre, centre - radius - 1] = tensor(0.9f);
            beyond[0, 0, centre, centre + radius + 1] = tensor(0.9f);

            using var seen = model.forward(within);
            using var unseen = model.forward(beyond);
            Assert.Equal(before[0, 0, centre, centre].item<float>(), unseen[0, 0, centre, centre].item<float>());
            Assert.NotEqual(before[0, 0, centre, centre].item<float>(), seen[0, 0, centre, centre].item<float>());
        }
    }

    [Theory]
    [InlineData(ModelCatalog.PhotoHalf, 2)]
    [InlineData(ModelCatalog.Photo, 1)]
    public void EitherPhotoKindLoadsAsTheKindItWasSavedAs(string kind, int scale)
    {
        using var temp = new TempDirectory();
        random.manual_seed(1);
        using (var saved = ModelCatalog.Create(kind)) saved.Save(temp.File("model.bin"));

        using var loaded = PhotoDenoiser.Load(temp.File("model.bin"));

        Assert.Equal(scale, loaded.Scale);
    }

    [Fact]
    public void AFileThatIsNoPhotoModelIsRefusedNamingIt()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("model.bin"), [1, 2, 3, 4, 5, 6, 7, 8]);
        using (var other = ModelCatalog.Create(ModelCatalog.Presentation)) other.Save(temp.File("presentation.bin"));

        var garbage = Assert.Throws<InvalidDataException>(() => PhotoDenoiser.Load(temp.File("model.bin")));
        var wrongKind = Assert.Throws<InvalidDataException>(() => PhotoDenoiser.Load(temp.File("presentation.bin")));
        using (var picture = PhotoFixtures.Smooth(1, 20, 20)) PhotoFile.WritePng(picture, temp.File("p.png"));
        var (code, output) = CliProcess.Run(["restore", temp.File("p.png"), "--model", temp.File("model.bin")]);

        Assert.Contains($"{temp.File("model.bin")} is not a saved '{ModelCatalog.PhotoModels[0]}' model", garbage.Message);
        Assert.Contains($"is not a saved '{ModelCatalog.PhotoModels[0]}' model", wrongKind.Message);
        Assert.True(code == 2, output);
        Assert.Contains("is not a saved", output);
        Assert.False(File.Exists(temp.File("p-restored.png")));
    }

    [Fact]
    public void TheTiledRestorerReportsEveryTile()
    {
        random.manual_seed(1);
        using var model = new NoiseResidualNetwork(depth: 2, width: 2);
        using var picture = PhotoFixtures.Smooth(3, 70, 95);
        var seen = new List<(long, long)>();
        using var restored = PhotoDenoiser.Restore(model, picture, tile: 32, progress: (done, total) => seen.Add((done, total)));

        Assert.Equal(3 * 3 * 3, seen.Count);
        Assert.Equal((27L, 27L), seen[^1]);
    }
}
