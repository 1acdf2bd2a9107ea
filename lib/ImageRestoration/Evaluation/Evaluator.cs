using ImageRestoration.Metrics;
using static TorchSharp.torch;

namespace ImageRestoration.Evaluation;

/// <summary>Scores restorers, baselines and trained models alike, on the same degraded images (through <see cref="Scorer"/>).</summary>
internal static class Evaluator
{
    /// <summary>The restorer's output for every image, restored in batches.</summary>
    public static Tensor RestoreAll(Restorer restorer, Tensor degraded, int batchSize = Scorer.DefaultBatchSize)
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
    public static RestorationScore Score(Restorer restorer, Tensor degraded, Tensor clean, int batchSize = Scorer.DefaultBatchSize) =>
        Scorer.Score(batch => Restored(restorer, batch), degraded, clean, batchSize);

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
