using System.Text.Json;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>
/// A measurement that did not happen: the variant diverged or its worker
/// failed. It becomes a row of the report and the comparison goes on.
/// </summary>
public sealed record BenchmarkFailure(string Framework, int Threads, string Reason)
{
    /// <summary>The prefix of the line a worker prints when it cannot measure: FAILED {"framework", "threads", "reason"}.</summary>
    public const string LinePrefix = "FAILED ";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Why a worker that exited with <paramref name="exitCode"/> measured
    /// nothing: its FAILED line, else its last "error:" line or the last line
    /// of its output (a Python exception's own line, not its stack).
    /// </summary>
    public static BenchmarkFailure FromOutput(string output, string worker, int threads, int exitCode)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.LastOrDefault(l => l.StartsWith(LinePrefix, StringComparison.Ordinal)) is { } line)
        {
            try
            {
                if (JsonSerializer.Deserialize<BenchmarkFailure>(line[LinePrefix.Length..], JsonOptions) is { Framework: not null, Reason: not null } failure)
                    return failure;
            }
            catch (JsonException)
            {
                // an unreadable FAILED line: fall back on the output's last line
            }
        }
        var last = lines.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "no output";
        return new BenchmarkFailure(worker, threads, $"failed: exit {exitCode}, {last}");
    }
}
