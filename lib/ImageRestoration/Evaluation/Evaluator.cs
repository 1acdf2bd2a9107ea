using ImageRestoration.Degradations;
using ImageRestoration.Metrics;
using static TorchSharp.torch;

namespace ImageRestoration.Evaluation;

/// <summary>
/// How well one restorer did on one set of degraded images: the mean
/// per-image PSNR (dB) and SSIM (see <see cref="Psnr"/> and <see cref="Ssim"/>),
/// and the mean per-pixel binary cross-entropy and squared error as in
/// training (<see cref="Training.Losses"/>). <see cref="ExactImages"/> counts
/// the images restored exactly (PSNR +∞, counted as <see cref="Psnr.Ceiling"/>).
/// </summary>
public sealed record RestorationScore(int Images, double Psnr, double Ssim, double Bce, double Mse, int ExactImages);

/// <summary>Scores restorers, baselines and trained models alike, on the same degraded images.</summary>
public static class Evaluator
{
    /// <summary>Images restored per call, to bound memory (a 5x5 median holds 25 copies of its batch).</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// Degrades a set of clean images once with a generator seeded by
    /// <paramref name="seed"/>. The studies use the configuration's seed + 1,
    /// as the <see cref="Training.Trainer"/> does for its validation inputs, so a
    /// model's validation loss and its score here are on the very same images.
    /// </summary>
    public static Tensor Degrade(Tensor clean, Degradation degradation, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return degradation.Apply(clean, generator);
    }

    /// <summary>The restorer's output for every image, restored in batches.</summary>
    public static Tensor RestoreAll(Restorer restorer, Tensor degraded, int batchSize = DefaultBatchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        var count = degraded.shape[0];
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += batchSize)
            {
                using var batch = degraded.narrow(0, start, Math.Min(batchSize, count - start));
                parts.Add(Restored(restorer, batch));
            }
            return cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>Restores <paramref name="degraded"/> batch by batch and scores it against <paramref name="clean"/>.</summary>
    public static RestorationScore Score(Restorer restorer, Tensor degraded, Tensor clean, int batchSize = DefaultBatchSize)
    {
        if (!degraded.shape.SequenceEqual(clean.shape))
            throw new ArgumentException(
                $"Degraded [{string.Join(", ", degraded.shape)}] and clean [{string.Join(", ", clean.shape)}] images differ in shape.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        var count = clean.shape[0];
        if (count == 0) throw new ArgumentException("No images to score.", nameof(clean));
        double psnr = 0, ssim = 0, bce = 0, mse = 0;
        var exact = 0;
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, count - start);
            var target = clean.narrow(0, start, length);
            var output = Restored(restorer, degraded.narrow(0, start, length));
            var perImagePsnr = Metrics.Psnr.PerImage(output, target);
            psnr += perImagePsnr.clamp_max(Metrics.Psnr.Ceiling).sum().item<double>();
            exact += Metrics.Psnr.ExactCount(perImagePsnr);
            ssim += Metrics.Ssim.PerImage(output, target).sum().item<double>();
            // As in training: float32, summed here and divided by every pixel below. Binary
            // cross-entropy clamps log(0) at -100, so a pixel at exactly 0 or 1 on the wrong side costs 100.
            var output32 = output.to(ScalarType.Float32);
            var target32 = target.to(ScalarType.Float32);
            bce += nn.functional.binary_cross_entropy(output32, target32, reduction: nn.Reduction.Sum).item<float>();
            mse += nn.functional.mse_loss(output32, target32, reduction: nn.Reduction.Sum).item<float>();
        }
        var pixels = (double)clean.numel();
        return new RestorationScore((int)count, psnr / count, ssim / count, bce / pixels, mse / pixels, exact);
    }

    private static Tensor Restored(Restorer restorer, Tensor batch)
    {
        using var _ = no_grad();
        var output = restorer.Restore(batch);
        if (!output.shape.SequenceEqual(batch.shape))
            throw new InvalidOperationException(
                $"{restorer.Name} returned [{string.Join(", ", output.shape)}] for a batch of [{string.Join(", ", batch.shape)}].");
        return output;
    }
}
