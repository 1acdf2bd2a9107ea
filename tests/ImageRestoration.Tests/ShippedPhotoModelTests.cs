using System.Text.Json.Nodes;
using ImageRestoration.Photos;

namespace ImageRestoration.Tests;

/// <summary>The committed photo denoiser loads and still gives the PSNR its record states on the small test crop.</summary>
public sealed class ShippedPhotoModelTests
{
    [Fact]
    public void TheShippedModelGivesItsRecordedPsnrOnTheTestCrop()
    {
        var root = RepositoryRoot.Find()!;
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "data", "models", "photo-denoiser.json")))!;
        var recorded = record["checkCrop"]!["restoredPsnr"]!.GetValue<double>();
        using var model = PhotoDenoiser.Load(Path.Combine(root, "data", "models", PhotoDenoiser.ModelFileName));

        var (noisy, restored) = PhotoDenoiser.CheckCrop(model, PhotoSet.Directory());

        Assert.InRange(restored, recorded - 0.01, recorded + 0.01);
        Assert.True(restored > noisy + 5, $"the model restores the crop to {restored:F2} dB from {noisy:F2} dB");
        Assert.True(new FileInfo(Path.Combine(root, "data", "models", PhotoDenoiser.ModelFileName)).Length <= 1 << 20, "the shipped model exceeds 1 MB");
    }
}
