using System.Globalization;
using System.Text;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>Medians over rounds for one framework at one thread count.</summary>
public sealed record BenchmarkSummary(
    string Framework,
    int Threads,
    int Rounds,
    double TrainImagesPerSecond,
    double EpochSeconds,
    double InferenceImagesPerSecond,
    double PeakMemoryMiB,
    double MemoryGrowthMiB);

/// <summary>
/// The benchmark's plan and its report. Measurements alternate between the
/// frameworks and thread counts within each round, so that a slow spell of a
/// shared machine hits both sides; the report takes medians over rounds.
/// </summary>
public sealed class BenchmarkReport
{
    public const string TorchSharp = "TorchSharp";

    public List<BenchmarkMeasurement> Measurements { get; } = [];

    /// <summary>The order of measurements: every round runs each thread count for each framework in turn.</summary>
    public static IEnumerable<(int Round, int Threads, string Framework)> Plan(int rounds, IReadOnlyList<int> threads, IReadOnlyList<string> frameworks) =>
        from round in Enumerable.Range(1, rounds)
        from t in threads
        from framework in round % 2 == 1 ? frameworks : frameworks.Reverse()
        select (round, t, framework);

    public IReadOnlyList<BenchmarkSummary> Summaries() =>
        Measurements.GroupBy(m => (m.Framework, m.Threads)).OrderBy(g => g.Key.Threads).ThenBy(g => g.Key.Framework != TorchSharp)
            .Select(g => new BenchmarkSummary(g.Key.Framework, g.Key.Threads, g.Count(),
                Median(g.Select(m => m.TrainImagesPerSecond)), Median(g.Select(m => m.EpochSeconds)),
                Median(g.Select(m => m.InferenceImagesPerSecond)), g.Max(m => m.PeakMemoryMiB),
                g.Max(m => m.MemoryAfterEpochMiB.Length > 1 ? m.MemoryAfterEpochMiB[^1] - m.MemoryAfterEpochMiB[0] : 0)))
            .ToList();

    /// <summary>Median TorchSharp/other training throughput at one thread count, and the per-round ratios.</summary>
    public (double Median, double[] PerRound)? TrainingRatio(int threads)
    {
        var ours = Measurements.Where(m => m.Threads == threads && m.Framework == TorchSharp).ToList();
        var theirs = Measurements.Where(m => m.Threads == threads && m.Framework != TorchSharp).ToList();
        if (ours.Count == 0 || theirs.Count == 0) return null;
        var perRound = ours.Zip(theirs, (a, b) => a.TrainImagesPerSecond / b.TrainImagesPerSecond).ToArray();
        return (Median(ours.Select(m => m.TrainImagesPerSecond)) / Median(theirs.Select(m => m.TrainImagesPerSecond)), perRound);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .AppendLine("| framework | threads | rounds | train img/s | s/epoch | inference img/s | peak MiB | RSS growth MiB |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in Summaries())
            text.AppendLine(string.Create(c, $"| {s.Framework} | {s.Threads} | {s.Rounds} | {s.TrainImagesPerSecond:F0} | {s.EpochSeconds:F1} | " +
                                             $"{s.InferenceImagesPerSecond:F0} | {s.PeakMemoryMiB:F0} | {s.MemoryGrowthMiB:F1} |"));
        foreach (var threads in Measurements.Select(m => m.Threads).Distinct().Order())
            if (TrainingRatio(threads) is var (median, perRound))
                text.AppendLine().Append(string.Create(c,
                    $"Training throughput TorchSharp/PyTorch at {threads} thread(s): {median:F2}x (per round: {string.Join(", ", perRound.Select(r => r.ToString("F2", c)))})"));
        return text.AppendLine().ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
