using ImageRestoration.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Tests;

public sealed class SubPixelConvolutionTests
{
    public SubPixelConvolutionTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(16, 1)]
    [InlineData(3, 2)]
    public void EqualsUpsamplingThenConvolvingInValueAndGradient(int inputs, int outputs)
    {
        manual_seed(5);
        using var convolution = nn.Conv2d(inputs, outputs, 3, Padding.Same, dtype: ScalarType.Float64);
        using var upsample = nn.Upsample(scale_factor: [2.0, 2.0]);
        using var input = randn(4, inputs, 7, 9, ScalarType.Float64);

        using var expected = convolution.forward(upsample.forward(input));
        using var expectedSum = expected.sum();
        expectedSum.backward();
        using var expectedWeightGrad = convolution.weight!.grad!.clone();
        using var expectedBiasGrad = convolution.bias!.grad!.clone();
        convolution.zero_grad();

        using var actual = SubPixelConvolution.UpsampleThenConvolve(input, upsample, convolution);
        using var actualSum = actual.sum();
        actualSum.backward();

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-12), "values differ");
        Assert.True(convolution.weight!.grad!.allclose(expectedWeightGrad, rtol: 0, atol: 1e-10), "weight gradients differ");
        Assert.True(convolution.bias!.grad!.allclose(expectedBiasGrad, rtol: 0, atol: 1e-10), "bias gradients differ");
    }

    [Fact]
    public void ThePresentationModelGivesWhatItsLayersGiveOneByOne()
    {
        manual_seed(6);
        using var model = new Autoencoder();
        using var input = rand(8, 1, 28, 28);
        using var expected = model.Layers.Aggregate(input.alias(), (x, layer) => layer.Layer.forward(x));
        using var actual = model.forward(input);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"max difference {(actual - expected).abs().max().item<float>():E2}");
    }

    [Fact]
    public void RefusesOtherKernelSizes()
    {
        using var convolution = nn.Conv2d(2, 1, 5, Padding.Same);
        using var upsample = nn.Upsample(scale_factor: [2.0, 2.0]);
        using var input = randn(1, 2, 4, 4);
        var error = Assert.Throws<ArgumentException>(() => SubPixelConvolution.UpsampleThenConvolve(input, upsample, convolution));
        Assert.Contains("3x3", error.Message);
    }

    [Fact]
    public void RefusesOtherUpsamplings()
    {
        using var convolution = nn.Conv2d(2, 1, 3, Padding.Same);
        using var upsample = nn.Upsample(scale_factor: [3.0, 3.0]);
        using var input = randn(1, 2, 4, 4);
        var error = Assert.Throws<ArgumentException>(() => SubPixelConvolution.UpsampleThenConvolve(input, upsample, convolution));
        Assert.Contains("2x nearest", error.Message);
    }
}
