// How close a restored image is to its clean original: PSNR and SSIM, each
// per image and in float64, the two scores every table and chart of the kit reports.

using ImageRestoration.Imaging;
using static TorchSharp.torch;

namespace ImageRestoration.Metrics;

/// <summary>
/// Peak signal-to-noise ratio for images in [0,1] (data range 1):
/// PSNR = 10 log10(1 / MSE) dB, with the MSE taken over one image's pixels
/// (all channels), so every image gets its own PSNR; a set of images is
/// scored by the mean of the per-image values (not by the PSNR of the pooled
/// MSE, which would weigh the worst images most).
/// Computed in float64.
/// </summary>
public static class Psnr
{
    /// <summary>
    /// The value an image counts for in a mean when it is restored exactly
    /// (its own PSNR is +∞): 100 dB, an MSE of 1e-10, far above anything a
    /// restoration of a degraded digit reaches (float32 round-off alone gives
    /// no more than about 140 dB). Capping keeps one perfect image (say a
    /// square mask that fell on blank background) from turning a whole
    /// table's mean into +∞, while still counting it as the best score;
    /// <see cref="ExactCount"/> says how many images were capped.
    /// </summary>
    public const double Ceiling = 100.0;

    /// <summary>The PSNR of one mean squared error: +∞ for 0.</summary>
    public static double FromMse(double mse) => mse <= 0 ? double.PositiveInfinity : -10 * Math.Log10(mse);

    /// <summary>Each image's PSNR in dB (float64, length N; +∞ where the pair is identical).</summary>
    public static Tensor PerImage(Tensor restored, Tensor clean)
    {
        Check(restored, clean);
        using var scope = NewDisposeScope();
        var mse = ImageMse(restored.to(ScalarType.Float64), clean.to(ScalarType.Float64));
        // log10(0) = -inf, so an identical pair gives +inf.
        return mse.log10().mul_(-10).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each image's squared error over its degraded input's (float32, length N):
    /// the share of the degradation the restoration leaves, 10^(−gain/10) for a
    /// PSNR gain in dB. Differentiable, so a trainer can minimise it.
    /// </summary>
    public static Tensor ErrorRatio(Tensor restored, Tensor clean, Tensor degraded)
    {
        Check(restored, clean);
        Check(degraded, clean);
        using var scope = NewDisposeScope();
        // A degraded image equal to its original would divide by 0; no degradation the trainer draws does that.
        return (ImageMse(restored, clean) / ImageMse(degraded, clean).clamp_min(1e-12)).MoveToOuterDisposeScope();
    }

    /// <summary>Each image's mean squared error over all its pixels and channels (length N), in the inputs' precision.</summary>
    private static Tensor ImageMse(Tensor a, Tensor b) => (a - b).square().flatten(1).mean([1]);

    /// <summary>The mean over images of each image's PSNR, an exact image counting <see cref="Ceiling"/> dB.</summary>
    public static double Mean(Tensor restored, Tensor clean)
    {
        using var perImage = PerImage(restored, clean);
        return MeanOf(perImage);
    }

    /// <summary>The mean of per-image PSNRs, each capped at <see cref="Ceiling"/>.</summary>
    public static double MeanOf(Tensor perImage)
    {
        using var capped = perImage.clamp_max(Ceiling);
        return capped.mean().item<double>();
    }

    /// <summary>How many images are restored exactly (PSNR +∞).</summary>
    public static int ExactCount(Tensor perImage)
    {
        using var exact = perImage.isposinf();
        using var count = exact.sum();
        return (int)count.item<long>();
    }

    internal static void Check(Tensor restored, Tensor clean)
    {
        if (restored.dim() != 4 || !restored.shape.SequenceEqual(clean.shape))
            throw new ArgumentException(
                $"Expected two batches N x C x H x W of the same shape, got [{string.Join(", ", restored.shape)}] and [{string.Join(", ", clean.shape)}].");
    }
}

/// <summary>
/// Structural similarity as Wang, Bovik, Sheikh and Simoncelli (2004) define
/// it and as their reference implementation (ssim_index.m) computes it:
/// local means, variances and covariance under an 11x11 Gaussian window
/// (σ = 1.5, normalised to sum 1), K1 = 0.01, K2 = 0.03, data range L = 1, so
/// C1 = (K1 L)² and C2 = (K2 L)², and
/// SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)).
/// <para>
/// Borders: 'valid' filtering, as the reference implementation's
/// filter2(..., 'valid'): only windows lying wholly inside the image count,
/// so a 28x28 image gives an 18x18 SSIM map, whose mean is the image's SSIM
/// (no padding is invented). The (co)variances are the window-weighted ones,
/// E[xy] - μx μy, without a sample-size correction (as the reference; this
/// equals scikit-image's structural_similarity with gaussian_weights=True,
/// sigma=1.5, use_sample_covariance=False, data_range=1, which crops the
/// border before averaging). A set of images is scored by the mean of the
/// per-image SSIMs. Computed in float64.
/// </para>
/// </summary>
internal static class Ssim
{
    public const int WindowSize = 11;
    public const double WindowSigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;
    public const double DataRange = 1.0;
    public const double C1 = K1 * DataRange * K1 * DataRange;
    public const double C2 = K2 * DataRange * K2 * DataRange;

    /// <summary>The 1-D factor of the 11x11 window (the 2-D window is its outer product).</summary>
    public static double[] Window => ImageFilters.GaussianKernel(WindowSigma, WindowSize / 2);

    /// <summary>The SSIM map: N x C x (H-10) x (W-10), float64.</summary>
    public static Tensor Map(Tensor restored, Tensor clean)
    {
        Psnr.Check(restored, clean);
        using var scope = NewDisposeScope();
        var x = restored.to(ScalarType.Float64);
        var y = clean.to(ScalarType.Float64);
        var window = Window;
        // Five local statistics filtered in one call: the batch stacked along channels.
        var channels = x.shape[1];
        var stacked = cat([x, y, x * x, y * y, x * y], 1);
        var filtered = ImageFilters.Separable(stacked, window, FilterBorder.Valid).split(channels, 1);
        var (muX, muY, xx, yy, xy) = (filtered[0], filtered[1], filtered[2], filtered[3], filtered[4]);
        var muXmuY = muX * muY;
        var muX2 = muX.square();
        var muY2 = muY.square();
        var sigmaX2 = xx - muX2;
        var sigmaY2 = yy - muY2;
        var sigmaXY = xy - muXmuY;
        var map = (2 * muXmuY + C1) * (2 * sigmaXY + C2) / ((muX2 + muY2 + C1) * (sigmaX2 + sigmaY2 + C2));
        return map.MoveToOuterDisposeScope();
    }

    /// <summary>Each image's SSIM (the mean of its map over positions and channels), float64, length N.</summary>
    public static Tensor PerImage(Tensor restored, Tensor clean)
    {
        using var map = Map(restored, clean);
        using var flat = map.flatten(1);
        return flat.mean([1]);
    }

    /// <summary>The mean over images of each image's SSIM.</summary>
    public static double Mean(Tensor restored, Tensor clean)
    {
        using var perImage = PerImage(restored, clean);
        using var mean = perImage.mean();
        return mean.item<double>();
    }
}
