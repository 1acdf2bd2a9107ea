using ImageRestoration.Imaging;
using ImageRestoration.Metrics;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>PSNR and SSIM against values worked out by hand (closed forms) and one independent implementation (scikit-image).</summary>
public sealed class MetricsTests
{
    public MetricsTests() => TorchRuntime.Initialize();

    private static Tensor Image(Func<int, int, double> pixel, int size = 28)
    {
        var values = new float[size * size];
        for (var i = 0; i < size; i++)
        for (var j = 0; j < size; j++)
            values[i * size + j] = (float)pixel(i, j);
        return tensor(values, [1, 1, size, size]);
    }

    // Two 28x28 test pictures that scikit-image can rebuild from the same formulas.
    private static double Pattern(int i, int j) => i * j % 17 / 16.0;
    private static double Mixed(int i, int j) => 0.5 * ((i + 2 * j) % 11 / 10.0) + 0.5 * Pattern(i, j);

    [Fact]
    public void IdenticalImagesHaveInfinitePsnrAndSsimOne()
    {
        using var x = Image(Pattern);
        using var psnr = Psnr.PerImage(x, x);

        Assert.True(double.IsPositiveInfinity(psnr[0].item<double>()));
        Assert.Equal(1, Psnr.ExactCount(psnr));
        Assert.Equal(1.0, Ssim.Mean(x, x), 12);
    }

    [Fact]
    public void AnExactImageCountsAsTheCeilingInTheMean()
    {
        using var clean = cat([Image(Pattern), Image(Pattern)], 0);
        using var restored = clean.clone();
        restored[1].add_(0.1f); // MSE 0.01: 20 dB

        Assert.Equal((Psnr.Ceiling + 20) / 2, Psnr.Mean(restored, clean), 4);
    }

    [Theory]
    [InlineData(0.1, 20.0)]
    [InlineData(0.01, 40.0)]
    [InlineData(0.5, 6.0205999132796239)]
    public void AConstantOffsetGivesPsnrMinus20Log10OfTheOffset(double offset, double expected)
    {
        using var clean = full([3, 1, 28, 28], 0.25f, ScalarType.Float64);
        using var restored = clean + offset;

        Assert.Equal(expected, Psnr.Mean(restored, clean), 9);
        Assert.Equal(-20 * Math.Log10(offset), Psnr.FromMse(offset * offset), 12);
    }

    [Theory]
    [InlineData(0.5, 0.6)]
    [InlineData(0.2, 0.0)]
    [InlineData(1.0, 0.9)]
    public void ConstantImagesHaveTheClosedFormSsim(double a, double b)
    {
        // No variance anywhere: SSIM = (2ab + C1) / (a² + b² + C1), with C1 = 0.01² (C2 cancels).
        using var x = full([2, 1, 28, 28], a, ScalarType.Float64);
        using var y = full([2, 1, 28, 28], b, ScalarType.Float64);
        var c1 = 0.01 * 0.01;

        Assert.Equal((2 * a * b + c1) / (a * a + b * b + c1), Ssim.Mean(x, y), 12);
    }

    [Fact]
    public void CheckerboardNoiseOnAConstantImageHasTheClosedFormSsim()
    {
        // y = a ± d in a checkerboard. With s = Σ_k g_k (-1)^k over the 1-D window g, a window
        // centred at (r, c) sees μy = a + e d s² (e = (-1)^(r+c)), σy² = d²(1 - s⁴), σx = σxy = 0;
        // the 18x18 valid positions are half e = +1, half e = -1.
        const double a = 0.5, d = 0.1;
        using var x = Image((_, _) => a);
        using var y = Image((i, j) => a + ((i + j) % 2 == 0 ? d : -d));
        var g = Ssim.Window;
        var s = g.Select((w, k) => k % 2 == 0 ? w : -w).Sum();
        double Term(int e)
        {
            var muY = a + e * d * s * s;
            return (2 * a * muY + Ssim.C1) / (a * a + muY * muY + Ssim.C1) * Ssim.C2 / (d * d * (1 - Math.Pow(s, 4)) + Ssim.C2);
        }

        Assert.Equal((Term(1) + Term(-1)) / 2, Ssim.Mean(y, x), 6);
        Assert.Equal(0.082568807339450, Ssim.Mean(y, x), 6); // scikit-image 0.19.3, same settings
        // PSNR: every pixel is off by d.
        Assert.Equal(20.0, Psnr.Mean(y, x), 4);
    }

    [Fact]
    public void MatchesScikitImageOnTwoPictures()
    {
        // structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)
        // and peak_signal_noise_ratio(x, y, data_range=1) from scikit-image 0.19.3, in float64.
        using var x = Image(Pattern);
        using var y = Image(Mixed);
        using var bar = Image((i, j) => i is >= 6 and < 22 && j is >= 12 and < 16 ? 1.0 : 0.0);
        using var halo = Image((i, j) => Math.Clamp((i is >= 6 and < 22 && j is >= 12 and < 16 ? 0.8 : 0.0) + 0.1 * ((i + j) % 2), 0, 1));

        Assert.Equal(0.687287585327347, Ssim.Mean(x, y), 6);
        Assert.Equal(12.967836991639462, Psnr.Mean(x, y), 5);
        Assert.Equal(0.536414578038136, Ssim.Mean(bar, halo), 6);
        Assert.Equal(21.783127190496394, Psnr.Mean(bar, halo), 5);
    }

    [Fact]
    public void SetsAreScoredByTheMeanOfPerImageValues()
    {
        using var clean = zeros(2, 1, 28, 28, ScalarType.Float64);
        using var restored = clean.clone();
        restored[0].add_(0.1); // 20 dB
        restored[1].add_(0.01); // 40 dB

        Assert.Equal(30.0, Psnr.Mean(restored, clean), 9);
        // Not the PSNR of the pooled MSE, which would be 10 log10(2 / 0.0101) = 22.97 dB.
        using var perImageSsim = Ssim.PerImage(restored, clean);
        Assert.Equal(perImageSsim.mean().item<double>(), Ssim.Mean(restored, clean), 12);
    }

    [Fact]
    public void SsimMapUsesValidWindowsOnly()
    {
        using var x = rand(2, 1, 28, 28);
        using var map = Ssim.Map(x, x * 0.9f);

        Assert.Equal([2L, 1, 18, 18], map.shape);
        Assert.Throws<ArgumentException>(() => Ssim.Map(rand(1, 1, 10, 10), rand(1, 1, 10, 10)));
    }

    [Fact]
    public void TheWindowIsMatlabsFspecialGaussian11By15()
    {
        var g = Ssim.Window;

        Assert.Equal(11, g.Length);
        Assert.Equal(1.0, g.Sum(), 12);
        // fspecial('gaussian', 11, 1.5): centre weight 0.0707622 of the 2-D window.
        Assert.Equal(0.0707622, g[5] * g[5], 6);
        Assert.Equal(g[0], g[10], 15);
        Assert.Equal(ImageFilters.GaussianKernel(1.5, 5), g);
    }

    [Fact]
    public void MismatchedShapesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Psnr.Mean(zeros(2, 1, 28, 28), zeros(3, 1, 28, 28)));
        Assert.Throws<ArgumentException>(() => Ssim.Mean(zeros(1, 28, 28), zeros(1, 28, 28)));
    }
}
