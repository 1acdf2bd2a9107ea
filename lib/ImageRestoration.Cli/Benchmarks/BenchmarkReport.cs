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

/// <summary>TorchSharp's throughput over the fastest variant of another release, for one measure at one thread count.</summary>
public sealed record BenchmarkRatio(string Measure, int Threads, string Fastest, double Median, double[] PerRound);

/// <summary>
/// The benchmark's plan and its report. Measurements alternate between the
/// frameworks and thread counts within each round, so that a slow spell of a
/// shared machine hits both sides; the report takes medians over rounds.
/// </summary>
public sealed class BenchmarkReport
{
    public const string TorchSharp = "TorchSharp";

    public List<BenchmarkMeasurement> Measurements { get; } = [];

    /// <summary>Variants that diverged or failed: a row each, with the reason, and no part in the ratios.</summary>
    public List<BenchmarkFailure> Failures { get; } = [];

    /// <summary>Where the figures were taken: the CPU and the instruction set each framework dispatched to.</summary>
    public string? Machine { get; set; }

    /// <summary>The order of measurements: every round runs each thread count for each framework in turn.</summary>
    public static IEnumerable<(int Round, int Threads, string Framework)> Plan(int rounds, IReadOnlyList<int> threads, IReadOnlyList<string> frameworks) =>
        from round in Enumerable.Range(1, rounds)
        from t in threads
        from framework in round % 2 == 1 ? frameworks : frameworks.Reverse()
        select (round, t, framework);

    public IReadOnlyList<BenchmarkSummary> Summaries() =>
        Measurements.GroupBy(m => (m.Framework, m.Threads)).OrderBy(g => g.Key.Threads).ThenBy(g => g.Key.Framework != TorchSharp).ThenBy(g => g.Key.Framework, StringComparer.Ordinal)
            .Select(g => new BenchmarkSummary(g.Key.Framework, g.Key.Threads, g.Count(),
                Median(g.Select(m => m.TrainImagesPerSecond)), Median(g.Select(m => m.EpochSeconds)),
                Median(g.Select(m => m.InferenceImagesPerSecond)), g.Max(m => m.PeakMemoryMiB),
                g.Max(m => m.MemoryAfterEpochMiB.Length > 1 ? m.MemoryAfterEpochMiB[^1] - m.MemoryAfterEpochMiB[0] : 0)))
            .ToList();

    /// <summary>
    /// TorchSharp's median throughput over that of the fastest variant of each
    /// other release at one thread count (fastest by its own median, for
    /// training and for inference separately), with the per-round ratios
    /// against that variant.
    /// </summary>
    public IReadOnlyList<BenchmarkRatio> Ratios(int threads)
    {
        var ours = Measurements.Where(m => m.Threads == threads && m.Framework == TorchSharp).ToList();
        if (ours.Count == 0) return [];
        var ratios = new List<BenchmarkRatio>();
        var others = Measurements.Where(m => m.Threads == threads && m.Framework != TorchSharp).GroupBy(m => m.Framework).ToList();
        foreach (var release in others.GroupBy(g => Release(g.Key)))
        foreach (var (what, speed) in new (string, Func<BenchmarkMeasurement, double>)[]
                     { ("training", m => m.TrainImagesPerSecond), ("inference", m => m.InferenceImagesPerSecond) })
        {
            var fastest = release.MaxBy(variant => Median(variant.Select(speed)))!;
            ratios.Add(new BenchmarkRatio(what, threads, fastest.Key,
                Median(ours.Select(speed)) / Median(fastest.Select(speed)),
                ours.Zip(fastest, (a, b) => speed(a) / speed(b)).ToArray()));
        }
        return ratios;
    }

    /// <summary>"PyTorch 2.6.0 compile" is variant "compile" of release "PyTorch 2.6.0".</summary>
    internal static string Release(string framework) =>
        framework.Count(c => c == ' ') >= 2 ? framework[..framework.LastIndexOf(' ')] : framework;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        if (Machine is not null) text.AppendLine(Machine).AppendLine();
        text.AppendLine("| framework | threads | rounds | train img/s | s/epoch | inference img/s | peak MiB | RSS growth MiB |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in Summaries())
            text.AppendLine(string.Create(c, $"| {s.Framework} | {s.Threads} | {s.Rounds} | {s.TrainImagesPerSecond:F0} | {s.EpochSeconds:F1} | " +
                                             $"{s.InferenceImagesPerSecond:F0} | {s.PeakMemoryMiB:F0} | {s.MemoryGrowthMiB:F1} |"));
        foreach (var f in Failures.DistinctBy(f => (f.Framework, f.Threads)))
            text.AppendLine($"| {f.Framework} | {f.Threads} | 0 | {f.Reason} | | | | |");
        var ratios = Measurements.Select(m => m.Threads).Distinct().Order().SelectMany(Ratios).ToList();
        if (ratios.Count > 0)
            text.AppendLine()
                .AppendLine("TorchSharp against the fastest variant of each release, at each thread count (median over rounds):")
                .AppendLine()
                .AppendLine("| measure | threads | fastest variant | TorchSharp / fastest | per round |")
                .AppendLine("|---|---:|---|---:|---|");
        foreach (var r in ratios)
            text.AppendLine(string.Create(c, $"| {r.Measure} | {r.Threads} | {r.Fastest} | {r.Median:F2}x | {string.Join(", ", r.PerRound.Select(x => x.ToString("F2", c)))} |"));
        return text.AppendLine().ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
