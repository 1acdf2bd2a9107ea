using ImageRestoration.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

public sealed class AutoencoderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public AutoencoderTests() => TorchRuntime.Initialize();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void HasExactlyThePresentationModels4385Parameters()
    {
        using var model = new Autoencoder();
        Assert.Equal(4385, model.parameters().Sum(p => p.numel()));
        Assert.Equal(4385, ModelSummary.Of(model).TotalParameters);
        // Keras's layer names under the two halves, each once (forward's own references to decoder layers add none).
        Assert.All(model.state_dict().Keys, key => Assert.Matches(@"^(encoder\.conv[123]|decoder\.conv[4567])\.(weight|bias)$", key));
        Assert.Equal(14, model.state_dict().Count);
    }

    [Fact]
    public void RestoresTheInputShapeAndStaysInUnitRange()
    {
        using var model = new Autoencoder();
        using var input = rand(5, 1, 28, 28);
        using var output = model.forward(input);

        Assert.Equal([5L, 1, 28, 28], output.shape);
        Assert.True(output.min().item<float>() > 0f && output.max().item<float>() < 1f);
    }

    [Fact]
    public void EncoderGivesEightByFourByFourCodes()
    {
        using var model = new Autoencoder();
        using var input = rand(3, 1, 28, 28);
        using var codes = model.Encoder.forward(input);

        Assert.Equal([3L, 8, 4, 4], codes.shape);
    }

    [Fact]
    public void EncoderSharesTheAutoencodersWeights()
    {
        manual_seed(5);
        using var model = new Autoencoder();
        using var input = rand(2, 1, 28, 28);
        using var before = model.Encoder.forward(input);

        using (no_grad())
            model.named_parameters().First(p => p.name == "encoder.conv3.bias").parameter.add_(1f);
        using var after = model.Encoder.forward(input);

        Assert.Equal(
            model.named_parameters().Where(p => p.name.StartsWith("encoder.")).Select(p => p.parameter.Handle),
            model.Encoder.parameters().Select(p => p.Handle));
        // Every code whose pre-activation was positive moves by exactly the added 1 (ReLU keeps it, max-pool passes it).
        Assert.Equal(1f, (after - before).abs().max().item<float>(), 1e-5f);
    }

    [Fact]
    public void WeightsAreGlorotUniformAndBiasesZero()
    {
        using var model = new Autoencoder();
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            var w = conv.weight!;
            var (fanIn, fanOut) = (w.shape[1] * 9, w.shape[0] * 9);
            var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            Assert.True(w.abs().max().item<float>() <= limit);
            // Uniform on [-limit, limit] has standard deviation limit / sqrt(3).
            Assert.InRange(w.std().item<float>(), 0.6 * limit / Math.Sqrt(3), 1.4 * limit / Math.Sqrt(3));
            Assert.Equal(0f, conv.bias!.abs().max().item<float>());
        }
    }

    [Fact]
    public void SameSeedGivesTheSameWeights()
    {
        manual_seed(11);
        using var a = new Autoencoder();
        manual_seed(11);
        using var b = new Autoencoder();

        Assert.All(a.parameters().Zip(b.parameters()), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void WeightsAreChannelsLastFromTheStartWithTheSameOutputs()
    {
        using var model = new Autoencoder();
        using var input = rand(4, 1, 28, 28);
        Assert.True(ChannelsLastWeights.IsApplied(model));
        using var channelsLast = model.forward(input);

        Tensor? contiguous = null;
        ChannelsLastWeights.WhileContiguous(model.parameters(), () => contiguous = model.forward(input));

        using (contiguous)
            Assert.True(allclose(contiguous!, channelsLast, rtol: 1e-5, atol: 1e-6));
        // Even the first convolution, with its single input channel, hands channels-last
        // pictures to the first pooling (the NCHW pooling kernel was 3x slower).
        var (_, conv1) = model.Layers.First();
        using var features = conv1.forward(input);
        Assert.Equal([16L * 28 * 28, 1, 28 * 16, 16], features.stride());
    }

    [Fact]
    public void SaveAndLoadGiveTheSameOutputs()
    {
        using var model = new Autoencoder();
        var path = temp.File("model.bin");
        using var input = rand(4, 1, 28, 28);
        model.eval();
        using var expected = model.forward(input);

        model.Save(path);
        using var loaded = Autoencoder.Load(path);
        loaded.eval();
        using var actual = loaded.forward(input);

        Assert.True(ChannelsLastWeights.IsApplied(model), "saving must leave the weights channels-last");
        Assert.True(ChannelsLastWeights.IsApplied(loaded));
        Assert.True(expected.eq(actual).all().item<bool>());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void LoadingSomethingElseNamesTheFile()
    {
        var path = temp.File("not-a-model.bin");
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<InvalidDataException>(() => Autoencoder.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void SummaryShowsKerasStyleShapes()
    {
        using var model = new Autoencoder();
        var summary = ModelSummary.Of(model);

        Assert.Equal("(None, 8, 4, 4)", summary.Layers.Single(l => l.Layer == "pool3").OutputShape);
        Assert.Equal("(None, 16, 14, 14)", summary.Layers.Single(l => l.Layer == "conv6").OutputShape);
        Assert.Equal("(None, 1, 28, 28)", summary.Layers[^1].OutputShape);
        Assert.Contains("Total params: 4,385", summary.ToString());
    }

    [Fact]
    public void OurLibTorchIsLoadedNotASystemOne()
    {
        var directory = TorchRuntime.LoadedLibTorchDirectory();
        Assert.NotNull(directory);
        Assert.DoesNotContain("/usr/lib", directory);
        Assert.True(File.Exists(Path.Combine(directory, "libLibTorchSharp.so")) ||
                    directory.Contains("libtorch-cpu", StringComparison.Ordinal), directory);
    }
}
