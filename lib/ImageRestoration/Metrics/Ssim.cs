using ImageRestoration.Imaging;
using static TorchSharp.torch;

namespace ImageRestoration.Metrics;

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
