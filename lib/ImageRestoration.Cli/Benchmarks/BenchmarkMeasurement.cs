using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>
/// One measurement of one framework at one thread count, as a worker process
/// prints it: training throughput over full epochs after a warm-up, seconds
/// per epoch, inference throughput, the resident memory after each epoch and
/// the process's peak.
/// </summary>
public sealed record BenchmarkMeasurement(
    string Framework,
    int Threads,
    double TrainImagesPerSecond,
    double EpochSeconds,
    double InferenceImagesPerSecond,
    [property: JsonPropertyName("peak_memory_mib")] double PeakMemoryMiB,
    [property: JsonPropertyName("memory_after_epoch_mib")] double[] MemoryAfterEpochMiB)
{
    /// <summary>The prefix of the one line a worker prints its result on.</summary>
    public const string LinePrefix = "RESULT ";

    /// <summary>The instruction set the framework's CPU kernels dispatch to in the worker (DEFAULT, AVX2, AVX512...).</summary>
    public string? CpuCapability { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Finds the result line in a worker's output; the error names the worker when there is none.</summary>
    public static BenchmarkMeasurement FromOutput(string output, string worker)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(LinePrefix, StringComparison.Ordinal))
                   ?? throw new InvalidDataException($"{worker} printed no '{LinePrefix.Trim()}' line. Its output:{Environment.NewLine}{output}");
        return JsonSerializer.Deserialize<BenchmarkMeasurement>(line[LinePrefix.Length..], JsonOptions)
               ?? throw new InvalidDataException($"{worker} printed an empty result.");
    }

    /// <summary>Resident memory of this process now and at its peak, in MiB, from /proc/self/status.</summary>
    public static (double Current, double Peak) ProcessMemoryMiB()
    {
        double Read(string key) =>
            File.ReadLines("/proc/self/status").Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024)
                .FirstOrDefault();
        return (Read("VmRSS:"), Read("VmHWM:"));
    }
}
