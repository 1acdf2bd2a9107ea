using ImageRestoration.Configuration;
using ImageRestoration.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>The capacity study's models: the wide autoencoder and the U-Nets.</summary>
public sealed class CapacityModelTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(ModelCatalog.Presentation, 4385)]
    [InlineData(ModelCatalog.Wide, 65921)]
    [InlineData(ModelCatalog.UNet, 39585)]
    [InlineData(ModelCatalog.UNetSmall, 10001)]
    [InlineData(ModelCatalog.Photo, 56097)]
    [InlineData(ModelCatalog.PhotoWide, 125617)]
    [InlineData(ModelCatalog.PhotoHalf, 226244)]
    public void CatalogModelsHaveTheirStatedParameterCounts(string name, long parameters)
    {
        TorchRuntime.Initialize();
        using var model = ModelCatalog.Create(name);

        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
        Assert.Equal(parameters, ModelSummary.Of(model).TotalParameters);
    }

    [Theory]
    [InlineData(ModelCatalog.Photo, "conv1 (None, 32, 28, 28)")]
    [InlineData(ModelCatalog.PhotoHalf, "unshuffle1 (None, 4, 14, 14)")]
    public void APhotoModelsSummaryFollowsItsForwardFromInputToNoise(string name, string first)
    {
        TorchRuntime.Initialize();
        using var model = ModelCatalog.Create(name);

        var rows = ModelSummary.Of(model).Layers.Select(l => $"{l.Layer} {l.OutputShape}").ToList();

        Assert.Equal(first, rows[0]);
        Assert.StartsWith("noise ", rows[^1]);
        Assert.DoesNotContain(rows, r => r.StartsWith("cat", StringComparison.Ordinal));
    }

    [Fact]
    public void AutoencoderWidthMultiplierOfOneIsThePresentationModelsTopology()
    {
        TorchRuntime.Initialize();
        using var presentation = new Autoencoder();
        using var wide = new Autoencoder(multiplier: 1);
        using var doubled = new Autoencoder(multiplier: 2);

        Assert.Equal(ModelSummary.Of(presentation).Layers.Select(l => (l.Layer, l.Type, l.OutputShape, l.Parameters)),
            ModelSummary.Of(wide).Layers.Select(l => (l.Layer, l.Type, l.OutputShape, l.Parameters)));
        Assert.Equal(16833, doubled.parameters().Sum(p => p.numel()));
        Assert.Equal("(None, 16, 4, 4)", ModelSummary.Of(doubled).Layers.Single(l => l.Layer == "pool3").OutputShape);
    }

    [Theory]
    [InlineData(ModelCatalog.Wide)]
    [InlineData(ModelCatalog.UNet)]
    [InlineData(ModelCatalog.UNetSmall)]
    public void RestoresTheInputShapeInsideTheUnitRange(string name)
    {
        TorchRuntime.Initialize();
        using var model = ModelCatalog.Create(name);
        using var input = rand(5, 1, 28, 28);
        using var output = model.forward(input);

        Assert.Equal([5L, 1, 28, 28], output.shape);
        Assert.True(output.min().item<float>() > 0f && output.max().item<float>() < 1f);
    }

    [Fact]
    public void UNetSummaryShowsItsSkipConnections()
    {
        TorchRuntime.Initialize();
        using var model = new UNet();
        var layers = ModelSummary.Of(model).Layers.ToDictionary(l => l.Layer);

        Assert.Equal("(None, 64, 14, 14)", layers["cat1"].OutputShape); // 32 upsampled + 32 from the encoder
        Assert.Equal("(None, 48, 28, 28)", layers["cat2"].OutputShape); // 32 upsampled + 16 from the encoder
        Assert.Equal("(None, 1, 28, 28)", layers["sigmoid"].OutputShape);
        Assert.Equal("cat", layers["cat1"].Type);
        // Each join sits just before the convolution that reads it.
        var names = ModelSummary.Of(model).Layers.Select(l => l.Layer).ToList();
        Assert.Equal(names.IndexOf("cat1") + 1, names.IndexOf("conv4"));
        Assert.Equal(names.IndexOf("cat2") + 1, names.IndexOf("conv5"));
    }

    [Fact]
    public void UNetOutputDependsOnTheSkipPath()
    {
        // Zeroing the first decoder convolution's weights on the skip channels must change the output:
        // the encoder's full-resolution features really reach the decoder.
        TorchRuntime.Initialize();
        manual_seed(5);
        using var model = new UNet();
        using var input = rand(2, 1, 28, 28);
        using var before = model.forward(input);
        var conv5 = (Conv2d)model.named_modules().Single(m => m.name == "conv5").module;
        using (no_grad())
            conv5.weight!.narrow(1, 32, 16).zero_();
        using var after = model.forward(input);

        Assert.True((after - before).abs().max().item<float>() > 1e-4f);
    }

    [Theory]
    [InlineData(ModelCatalog.Wide)]
    [InlineData(ModelCatalog.UNet)]
    public void KerasInitialisationGlorotUniformAndZeroBiases(string name)
    {
        TorchRuntime.Initialize();
        using var model = ModelCatalog.Create(name);
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            var w = conv.weight!;
            var (fanIn, fanOut) = (w.shape[1] * 9, w.shape[0] * 9);
            var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            Assert.True(w.abs().max().item<float>() <= limit + 1e-6);
            Assert.Equal(0f, conv.bias!.abs().max().item<float>());
        }
    }

    [Theory]
    [InlineData(ModelCatalog.Wide)]
    [InlineData(ModelCatalog.UNet)]
    public void SavedModelLoadsByNameAndGivesTheSameOutputs(string name)
    {
        TorchRuntime.Initialize();
        manual_seed(9);
        using var model = ModelCatalog.Create(name);
        var path = temp.File(name + ".bin");
        model.Save(path);
        using var loaded = RestorationModel.Load(path, name);
        using var input = rand(3, 1, 28, 28);

        Assert.True(ChannelsLastWeights.IsApplied(loaded));
        Assert.True(model.forward(input).allclose(loaded.forward(input)));
        Assert.Throws<InvalidDataException>(() => RestorationModel.Load(path, ModelCatalog.Presentation));
    }

    [Fact]
    public void ConfigurationSelectsTheModelsByName()
    {
        foreach (var name in new[] { ModelCatalog.Wide, ModelCatalog.UNet, ModelCatalog.UNetSmall })
            Assert.Equal(name, new ExperimentConfiguration().With("model=" + name).Model);
        var error = Assert.Throws<ConfigurationException>(() => new ExperimentConfiguration().With("model=resnet"));
        Assert.Contains("unet", error.Message);
    }
}
