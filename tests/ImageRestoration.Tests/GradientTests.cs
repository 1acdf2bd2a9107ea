using ImageRestoration.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>
/// Guards against silently wrong gradients: libtorch 2.10's oneDNN returned
/// garbage convolution input-gradients on an AVX-512 CPU for this very model.
/// Every parameter's gradient of each model as trained (float32, channels-last
/// weights) must match the same model computed in float64.
/// </summary>
[Collection(MnistCollection.Name)]
public sealed class GradientTests(MnistFixture mnist)
{
    [Theory]
    [InlineData(ModelCatalog.Presentation, 1, 128)]
    [InlineData(ModelCatalog.Presentation, 2, 128)]
    [InlineData(ModelCatalog.Wide, 1, 64)]
    [InlineData(ModelCatalog.Wide, 2, 64)]
    [InlineData(ModelCatalog.UNet, 1, 64)]
    [InlineData(ModelCatalog.UNet, 2, 64)]
    [InlineData(ModelCatalog.UNetSmall, 2, 64)]
    public void TrainingGradientsMatchFloat64OnARealBatch(string name, int threads, int images)
    {
        var saved = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(3);
            using var model = ModelCatalog.Create(name);
            using var reference = ModelCatalog.Create(name);
            reference.load_state_dict(model.state_dict());
            reference.to(ScalarType.Float64);
            Assert.True(ChannelsLastWeights.IsApplied(model), "models are built with the weights they train with");

            using var batch = mnist.Train.Images.narrow(0, 0, images);
            using var batch64 = batch.to(ScalarType.Float64);
            using var loss = nn.functional.binary_cross_entropy(model.forward(batch), batch);
            using var loss64 = nn.functional.binary_cross_entropy(reference.forward(batch64), batch64);
            loss.backward();
            loss64.backward();

            Assert.Equal(loss64.item<double>(), loss.item<float>(), 4);
            foreach (var ((parameterName, p), (_, p64)) in model.named_parameters().Zip(reference.named_parameters()))
            {
                using var g = p.grad!.to(ScalarType.Float64);
                var error = (g - p64.grad!).abs().max().item<double>() / p64.grad!.abs().max().item<double>();
                Assert.True(error <= 1e-4, $"{name} {parameterName}: gradient relative error {error:E2} at {threads} thread(s)");
            }
        }
        finally
        {
            set_num_threads(saved);
        }
    }
}
