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
