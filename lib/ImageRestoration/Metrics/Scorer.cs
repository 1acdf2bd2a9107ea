using static TorchSharp.torch;

namespace ImageRestoration.Metrics;

/// <summary>
/// How well one restorer did on one set of degraded images: the mean
/// per-image PSNR (dB) and SSIM (see <see cref="Psnr"/> and <see cref="Ssim"/>),
/// and the mean per-pixel binary cross-entropy and squared error as in
/// training. <see cref="ExactImages"/> counts the images restored exactly
/// (PSNR +∞, counted as <see cref="Psnr.Ceiling"/>).
/// </summary>
public sealed record RestorationScore(int Images, double Psnr, double Ssim, double Bce, double Mse, int ExactImages);

/// <summary>
/// The one batched scoring loop: the trainer's validation losses after each
/// epoch and the evaluation's scores of models and baselines both go through
/// it, in batches of the same size, so a model's validation loss and its
/// evaluated BCE are the same sums in the same order.
/// </summary>
internal static class Scorer
{
    /// <summary>Images restored per batch: bounds memory (a 5x5 median holds 25 copies of its batch).</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>
    /// Mean binary cross-entropy and squared error over every pixel of every
    /// image (the trainer's validation losses), and with <paramref name="withErrorRatio"/>
    /// the mean of each image's <see cref="Psnr.ErrorRatio"/> (else NaN).
    /// </summary>
    public static (double Bce, double Mse, double ErrorRatio) Losses(Func<Tensor, Tensor> restore, Tensor inputs, Tensor targets,
        int batchSize = DefaultBatchSize, bool withErrorRatio = false)
    {
        var sums = Sum(restore, inputs, targets, batchSize, perImage: false, withErrorRatio);
        var pixels = (double)targets.numel();
        return (sums.Bce / pixels, sums.Mse / pixels, withErrorRatio ? sums.ErrorRatio / targets.shape[0] : double.NaN);
    }

    /// <summary>Restores <paramref name="degraded"/> batch by batch and scores it against <paramref name="clean"/>.</summary>
    public static RestorationScore Score(Func<Tensor, Tensor> restore, Tensor degraded, Tensor clean, int batchSize = DefaultBatchSize)
    {
        var sums = Sum(restore, degraded, clean, batchSize, perImage: true, withErrorRatio: false);
        var count = clean.shape[0];
        var pixels = (double)clean.numel();
        return new RestorationScore((int)count, sums.Psnr / count, sums.Ssim / count, sums.Bce / pixels, sums.Mse / pixels, sums.Exact);
    }

    private sealed record Sums(double Bce, double Mse, double Psnr, double Ssim, int Exact, double ErrorRatio);

    private static Sums Sum(Func<Tensor, Tensor> restore, Tensor degraded, Tensor clean, int batchSize, bool perImage, bool withErrorRatio)
    {
        if (!degraded.shape.SequenceEqual(clean.shape))
            throw new ArgumentException(
                $"Degraded [{string.Join(", ", degraded.shape)}] and clean [{string.Join(", ", clean.shape)}] images differ in shape.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        var count = clean.shape[0];
        if (count == 0) throw new ArgumentException("No images to score.", nameof(clean));
        var sums = new Sums(0, 0, 0, 0, 0, 0);
        using var _ = no_grad();
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, count - start);
            var target = clean.narrow(0, start, length);
            var input = degraded.narrow(0, start, length);
            var output = restore(input);
            sums = Add(sums, output, target, perImage);
            if (withErrorRatio) sums = sums with { ErrorRatio = sums.ErrorRatio + Psnr.ErrorRatio(output, target, input).sum().item<float>() };
            TorchRuntime.ReleaseUndisposedScalars(); // as the trainer does per batch: the heap reuses this batch's blocks
        }
        return sums;
    }

    private static Sums Add(Sums sums, Tensor output, Tensor target, bool perImage)
    {
        // As in training: float32, summed per batch here and divided by every pixel by the caller. Binary
        // cross-entropy clamps log(0) at -100, so a pixel at exactly 0 or 1 on the wrong side costs 100.
        var output32 = output.to(ScalarType.Float32);
        var target32 = target.to(ScalarType.Float32);
        sums = sums with
        {
            Bce = sums.Bce + nn.functional.binary_cross_entropy(output32, target32, reduction: nn.Reduction.Sum).item<float>(),
            Mse = sums.Mse + nn.functional.mse_loss(output32, target32, reduction: nn.Reduction.Sum).item<float>(),
        };
        if (!perImage) return sums;
        var perImagePsnr = Metrics.Psnr.PerImage(output, target);
        return sums with
        {
            Psnr = sums.Psnr + perImagePsnr.clamp_max(Metrics.Psnr.Ceiling).sum().item<double>(),
            Exact = sums.Exact + Metrics.Psnr.ExactCount(perImagePsnr),
            Ssim = sums.Ssim + Metrics.Ssim.PerImage(output, target).sum().item<double>(),
        };
    }
}
