using ImageRestoration.Photos;

namespace ImageRestoration.Tests;

/// <summary>
/// <c>restore</c> through the real binary: a good picture becomes a PNG, and
/// every kind of bad input exits 2 with one line naming the file, before
/// anything is written.
/// </summary>
public sealed class RestoreCommandTests
{
    public RestoreCommandTests() => TorchRuntime.Initialize();

    public static TheoryData<string, string> BadFiles => new()
    {
        { "not-a-picture.png", "is not a PNG or JPEG picture" },
        { "truncated.png", "truncated or damaged PNG" },
        { "truncated.jpg", "truncated or damaged JPEG" },
        { "empty.png", "holds no pixels" },
        { "huge.png", "claims 100000x100000" },
        { "sixteen-bit.png", "16-bit" },
        { "alpha.png", "alpha channel" },
        { "palette.png", "palette" },
        { "cmyk.jpg", "CMYK JPEG" },
    };

    private static void WriteBadFile(string path)
    {
        using var temp = new TempDirectory();
        using var picture = PhotoFixtures.Smooth(1, 40, 40);
        var bytes = Path.GetFileName(path) switch
        {
            "not-a-picture.png" => "hello"u8.ToArray(),
            "truncated.png" => PhotoFixtures.RealPng(picture, temp.File("p.png"))[..200],
            "truncated.jpg" => PhotoFixtures.Jpeg(64, 64)[..400],
            "empty.png" => PhotoFixtures.Png(0, 0),
            "huge.png" => PhotoFixtures.Png(100000, 100000, withData: false),
            "sixteen-bit.png" => PhotoFixtures.Png(4, 4, bitDepth: 16),
            "alpha.png" => PhotoFixtures.Png(4, 4, colourType: 6),
            "palette.png" => PhotoFixtures.Png(4, 4, colourType: 3),
            "cmyk.jpg" => PhotoFixtures.JpegHeader(4, 4, components: 4),
            var name => throw new ArgumentException(name),
        };
        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void ABadFileExitsTwoNamingItAndWritesNothing(string name, string reason)
    {
        using var temp = new TempDirectory();
        WriteBadFile(temp.File(name));
        File.WriteAllBytes(temp.File("good.png"), PhotoFixtures.RealPng(PhotoFixtures.Smooth(1, 40, 40), temp.File("scratch.png")));
        File.Delete(temp.File("scratch.png"));

        var (code, output) = CliProcess.Run(["restore", temp.File("good.png"), temp.File(name), "--out", temp.File("out")]);

        Assert.True(code == 2, output);
        Assert.Contains(temp.File(name), output);
        Assert.Contains(reason, output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(Directory.Exists(temp.File("out")) && Directory.EnumerateFileSystemEntries(temp.File("out")).Any(), "something was written");
    }

    [Fact]
    public void AFolderWithNoPictureExitsTwoNamingIt()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("empty"));
        File.WriteAllText(temp.File("empty/notes.txt"), "no pictures here");

        var (code, output) = CliProcess.Run(["restore", temp.File("empty")]);

        Assert.True(code == 2, output);
        Assert.Contains($"{temp.File("empty")}: the folder holds no PNG or JPEG picture", output);
    }

    [Fact]
    public void AnOutputThatCannotBeWrittenExitsTwoNamingIt()
    {
        using var temp = new TempDirectory();
        PhotoFile.WritePng(PhotoFixtures.Smooth(1, 40, 40), temp.File("good.png"));
        File.WriteAllText(temp.File("a-file"), "in the way");

        var (code, output) = CliProcess.Run(["restore", temp.File("good.png"), "--out", temp.File("a-file/out")]);

        Assert.True(code == 2, output);
        Assert.Contains($"{temp.File("a-file/out")}: cannot write the output there", output);
    }

    [Fact]
    public void AFolderIsRestoredIntoPngsAndNothingIsOverwrittenWithoutForce()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("in"));
        PhotoFile.WritePng(PhotoFixtures.Smooth(1, 40, 50), temp.File("in/grey.png"));
        File.WriteAllBytes(temp.File("in/colour.jpg"), PhotoFixtures.Jpeg(36, 30));

        var (code, output) = CliProcess.Run(["restore", temp.File("in"), "--out", temp.File("out"), "--tile", "32"]);

        Assert.True(code == 0, output);
        Assert.Contains("estimated noise sigma", output);
        using (var grey = PhotoFile.ReadBytes(temp.File("out/grey-restored.png")))
            Assert.Equal(new long[] { 1, 40, 50 }, grey.shape);
        using (var colour = PhotoFile.ReadBytes(temp.File("out/colour-restored.png")))
            Assert.Equal(new long[] { 3, 30, 36 }, colour.shape);

        var before = File.ReadAllBytes(temp.File("out/grey-restored.png"));
        File.WriteAllText(temp.File("out/colour-restored.png"), "the user's own file");
        var (again, refused) = CliProcess.Run(["restore", temp.File("in"), "--out", temp.File("out")]);
        Assert.True(again == 2, refused);
        Assert.Contains("already exists; add --force", refused);
        Assert.Equal("the user's own file", File.ReadAllText(temp.File("out/colour-restored.png")));
        Assert.Equal(before, File.ReadAllBytes(temp.File("out/grey-restored.png")));

        var (forced, _) = CliProcess.Run(["restore", temp.File("in"), "--out", temp.File("out"), "--force"]);
        Assert.Equal(0, forced);
        using var replaced = PhotoFile.ReadBytes(temp.File("out/colour-restored.png"));
        Assert.Equal(new long[] { 3, 30, 36 }, replaced.shape);
    }
}
