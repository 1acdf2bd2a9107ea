using ImageRestoration.Baselines;
using ImageRestoration.Evaluation;
using ImageRestoration.Imaging;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>Each classical baseline's defining property, on small images.</summary>
public sealed class BaselineTests
{
    public BaselineTests() => TorchRuntime.Initialize();

    private static Tensor Noisy(long seed, int count = 4)
    {
        using var generator = new Generator((ulong)seed);
        return rand([count, 1, 28, 28], generator: generator);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void BlurOfAConstantImageIsTheConstant(double sigma)
    {
        using var grey = full([2, 1, 28, 28], 0.3f);
        using var blurred = new GaussianBlurFilter(sigma).Restore(grey);

        Assert.Equal([2L, 1, 28, 28], blurred.shape);
        Assert.True((blurred - 0.3f).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void BlurSpreadsAnImpulseAsTheGaussianWindow()
    {
        using var impulse = zeros(1, 1, 28, 28);
        impulse[0, 0, 14, 14] = tensor(1f);
        using var blurred = ImageFilters.GaussianBlur(impulse, 1.0);
        var g = ImageFilters.GaussianKernel(1.0, 3);

        // Away from the border the response is the 7x7 window itself: g_i g_j, summing to one.
        Assert.Equal(g[3] * g[3], blurred[0, 0, 14, 14].item<float>(), 6);
        Assert.Equal(g[1] * g[3], blurred[0, 0, 12, 14].item<float>(), 6);
        Assert.Equal(0f, blurred[0, 0, 10, 14].item<float>());
        Assert.Equal(1f, blurred.sum().item<float>(), 5);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void MedianRemovesAnIsolatedImpulseAndKeepsAnEdge(int size)
    {
        // Left half 0, right half 1, one white impulse on the black side and one black on the white side.
        using var image = zeros(1, 1, 28, 28);
        image.narrow(3, 14, 14).fill_(1f);
        using var clean = image.clone();
        image[0, 0, 5, 5] = tensor(1f);
        image[0, 0, 20, 20] = tensor(0f);

        using var filtered = new MedianFilter(size).Restore(image);

        Assert.True(filtered.equal(clean).all().item<bool>(), "the median must restore the step exactly");
    }

    [Fact]
    public void Median3x3TakesTheMiddleOfTheNineValues()
    {
        using var image = zeros(1, 1, 5, 5);
        float[] nine = [0.9f, 0.1f, 0.5f, 0.3f, 0.7f, 0.2f, 0.8f, 0.4f, 0.6f];
        for (var k = 0; k < 9; k++) image[0, 0, 1 + k / 3, 1 + k % 3] = tensor(nine[k]);

        using var filtered = ImageFilters.Median(image, 3);

        Assert.Equal(0.5f, filtered[0, 0, 2, 2].item<float>());
    }

    [Fact]
    public void TotalVariationLowersTheVariationAndKeepsTheMean()
    {
        using var noisy = Noisy(1);
        var denoiser = new TotalVariationDenoiser(0.2);
        using var denoised = denoiser.Denoise(noisy, clip: false);
        using var before = TotalVariationDenoiser.TotalVariation(noisy);
        using var after = TotalVariationDenoiser.TotalVariation(denoised);

        Assert.True((after < before * 0.5).all().item<bool>(), "TV must drop well below the noise's");
        using var meanBefore = noisy.flatten(1).mean([1]);
        using var meanAfter = denoised.flatten(1).mean([1]);
        Assert.True((meanAfter - meanBefore).abs().max().item<float>() < 1e-5f, "each image keeps its mean");
    }

    [Fact]
    public void TotalVariationLeavesAConstantImageAlone()
    {
        using var grey = full([1, 1, 28, 28], 0.7f);
        using var denoised = new TotalVariationDenoiser(0.3).Restore(grey);

        Assert.True((denoised - 0.7f).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void TotalVariationWeightTradesFidelityForSmoothness()
    {
        using var noisy = Noisy(2, count: 2);
        using var light = new TotalVariationDenoiser(0.05).Denoise(noisy, clip: false);
        using var strong = new TotalVariationDenoiser(0.5).Denoise(noisy, clip: false);
        using var tvLight = TotalVariationDenoiser.TotalVariation(light);
        using var tvStrong = TotalVariationDenoiser.TotalVariation(strong);

        Assert.True((tvStrong < tvLight).all().item<bool>());
        Assert.True((strong - noisy).square().mean().item<float>() > (light - noisy).square().mean().item<float>());
    }

    [Fact]
    public void TotalVariationLowersTheRofEnergyBelowTheInputs()
    {
        // The iterate should beat both trivial candidates of ½‖u − f‖² + λ TV(u): u = f and u = mean(f).
        using var noisy = Noisy(3, count: 1);
        const double lambda = 0.2;
        double Energy(Tensor u)
        {
            using var tv = TotalVariationDenoiser.TotalVariation(u);
            return 0.5 * (u - noisy).square().sum().item<float>() + lambda * tv.item<double>();
        }

        using var denoised = new TotalVariationDenoiser(lambda).Denoise(noisy, clip: false);
        using var flat = full_like(noisy, noisy.mean().item<float>());

        Assert.True(Energy(denoised) < Energy(noisy));
        Assert.True(Energy(denoised) < Energy(flat));
    }

    [Fact]
    public void DivergenceIsMinusTheAdjointOfTheGradient()
    {
        // <∇u, p> = -<u, div p> for any u and any p vanishing where ∇ does (last row of px, last column of py).
        using var u = Noisy(4, count: 1).to(ScalarType.Float64);
        using var p = Noisy(5, count: 2).to(ScalarType.Float64);
        var (gx, gy) = TotalVariationDenoiser.Gradient(u);
        using var px = p.narrow(0, 0, 1).clone();
        using var py = p.narrow(0, 1, 1).clone();
        px.narrow(2, 27, 1).zero_();
        py.narrow(3, 27, 1).zero_();

        var left = (gx * px + gy * py).sum().item<double>();
        var right = -(u * TotalVariationDenoiser.Divergence(px, py)).sum().item<double>();

        Assert.Equal(left, right, 9);
    }

    [Fact]
    public void NonLocalMeansLeavesAConstantImageAlone()
    {
        using var grey = full([1, 2, 30, 20], 0.7f);
        using var restored = new NonLocalMeansDenoiser(0.8).Restore(grey);

        Assert.Equal(grey.shape, restored.shape);
        Assert.True((restored - 0.7f).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void NonLocalMeansRemovesNoiseAndKeepsEdgesBetterThanABlur()
    {
        // Stripes of 0.2 and 0.8, six pixels wide, with Gaussian noise of sigma 0.1.
        using var clean = (arange(48).floor_divide(6).remainder(2) * 0.6f + 0.2f).reshape(1, 1, 1, 48).expand(1, 1, 48, 48).contiguous();
        using var generator = new Generator(3);
        using var noisy = (clean + 0.1f * randn(clean.shape, generator: generator)).clamp(0, 1);

        using var restored = new NonLocalMeansDenoiser(0.8).Restore(noisy);
        using var blurred = new GaussianBlurFilter(1.0).Restore(noisy);

        var (input, nlm, blur) = (Metrics.Psnr.Mean(noisy, clean), Metrics.Psnr.Mean(restored, clean), Metrics.Psnr.Mean(blurred, clean));
        Assert.True(nlm > input + 6, $"non-local means {nlm:F2} dB against the noisy {input:F2} dB");
        Assert.True(nlm > blur + 2, $"non-local means {nlm:F2} dB against a blur's {blur:F2} dB: edges kept");
    }

    [Fact]
    public void EveryBaselineKeepsTheShapeAndTheUnitRange()
    {
        using var noisy = Noisy(6);
        foreach (var restorer in BaselineCatalog.Standard())
        {
            using var restored = restorer.Restore(noisy);
            Assert.Equal(noisy.shape, restored.shape);
            Assert.True(restored.min().item<float>() >= 0f && restored.max().item<float>() <= 1f, restorer.Name);
            Assert.Equal(RestorerKind.Baseline, restorer.Kind);
        }
        Assert.Equal(BaselineCatalog.Standard().Count, BaselineCatalog.Standard().Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void InvalidSettingsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianFilter(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianBlurFilter(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TotalVariationDenoiser(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TotalVariationDenoiser(0.1, iterations: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NonLocalMeansDenoiser(0));
        Assert.Throws<ArgumentException>(() => ImageFilters.Median(zeros(28, 28), 3));
    }
}
