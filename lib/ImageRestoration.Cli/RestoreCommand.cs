using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ImageRestoration.Metrics;
using ImageRestoration.Photos;
using static TorchSharp.torch;

namespace ImageRestoration.Cli;

/// <summary>
/// <c>restore</c>: denoises the user's own photographs with the shipped (or a
/// given) photo denoiser, in tiles, into PNG files. Every input and output is
/// checked before the first picture is restored, so a bad file stops the
/// command before anything is written, and nothing is overwritten without --force.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "PNG or JPEG files, or folders of them.", Arity = ArgumentArity.OneOrMore };
        var outPath = new Option<string?>("--out") { Description = "Output file (one input, ending in .png) or folder; default: NAME-restored.png beside each input." };
        var sigma = new Option<string>("--sigma") { Description = "The noise level, of 255: 'auto' estimates it (shown), or a number.", DefaultValueFactory = _ => "auto" };
        var model = new Option<string?>("--model") { Description = "A model saved by train-photos (default: the shipped photo-denoiser.bin)." };
        var tile = Program.WholeNumberOption("--tile", "Tile side in pixels: memory depends on it, not on the picture.", 512);
        var force = new Option<bool>("--force") { Description = "Overwrite existing output files." };
        var command = new Command("restore", "Denoise your own photographs (grey or colour, any size) into PNG files with the blind photo denoiser.")
            { inputs, outPath, sigma, model, tile, force };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var level = ParseSigma(parsed.GetValue(sigma)!);
            if (parsed.GetValue(tile) < 32) throw new Configuration.ConfigurationException($"--tile {parsed.GetValue(tile)}: use at least 32 pixels.");
            var jobs = Plan(parsed.GetValue(inputs)!, parsed.GetValue(outPath), parsed.GetValue(force));
            using var network = PhotoDenoiser.Load(parsed.GetValue(model) is { } file ? CheckedModel(file) : null);
            foreach (var (input, target) in jobs) RestoreOne(network, input, target, level, parsed.GetValue(tile), output);
            if (PeakMemoryMiB() is { } peak) output.WriteLine($"Restored {jobs.Count} picture(s); peak memory {peak} MiB.");
            return 0;
        }));
        return command;
    }

    private static double? ParseSigma(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value is > 0 and <= 255
            ? value
            : throw new Configuration.ConfigurationException($"--sigma {text}: use 'auto' or a noise level between 0 and 255.");
    }

    private static string CheckedModel(string file) =>
        File.Exists(file) ? file : throw new FileNotFoundException($"--model {file}: the file does not exist.", file);

    /// <summary>Every input decoded and every output decided, before anything is restored.</summary>
    private static List<(string Input, string Target)> Plan(string[] inputs, string? outPath, bool force)
    {
        var files = PhotoFile.Expand(inputs);
        // Decoded once here too, so a truncated file stops the command before the first output is written.
        foreach (var file in files) PhotoFile.ReadBytes(file).Dispose();
        var toFile = outPath is not null && files.Count == 1 && !Directory.Exists(outPath) &&
                     outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        var jobs = files.Select(f => (f, toFile ? outPath! : Path.Combine(outPath ?? Path.GetDirectoryName(Path.GetFullPath(f))!,
            Path.GetFileNameWithoutExtension(f) + "-restored.png"))).ToList();
        var twice = jobs.GroupBy(j => Path.GetFullPath(j.Item2)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new IOException($"{twice.Key} would be written for {string.Join(" and ", twice.Select(j => j.f))}; give them separate folders.");
        foreach (var (_, target) in jobs)
        {
            if (File.Exists(target) && !force) throw new IOException($"{target} already exists; add --force to overwrite it.");
            if (Directory.Exists(target)) throw new IOException($"{target} is a folder; the output must be a .png file.");
        }
        foreach (var folder in jobs.Select(j => Path.GetDirectoryName(Path.GetFullPath(j.Item2))!).Distinct()) RequireWritable(folder);
        return jobs;
    }

    /// <summary>Creates the folder if needed and proves it takes a file, naming it if not.</summary>
    private static void RequireWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".restore-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{folder}: cannot write the output there ({e.Message})", e);
        }
    }

    private static void RestoreOne(Models.NoiseResidualNetwork network, string input, string target, double? sigma, int tile, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        using var picture = PhotoFile.ReadBytes(input);
        var (channels, height, width) = (picture.shape[0], picture.shape[1], picture.shape[2]);
        var estimated = EstimatedSigma(picture);
        var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        using var restored = PhotoDenoiser.Restore(network, picture, tile, (done, total) =>
        {
            if (live) output.Write($"\r{input}: tile {done}/{total}");
        });
        PhotoFile.WritePng(restored, target);
        var given = sigma is { } s ? string.Create(CultureInfo.InvariantCulture, $"sigma {s:0.#} given, ") : "";
        var range = (sigma ?? estimated) is < 5 or > 55 ? " (outside the 5..55 the model was trained for)" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(live ? "\r" : "")}{input} ({width}x{height}, {(channels == 1 ? "grey" : "colour")}): {given}estimated noise sigma {estimated:F1} of 255{range}; " +
            $"restored to {target} in {clock.Elapsed.TotalSeconds:F1}s"));
    }

    /// <summary>The noise estimate on the 0..255 scale (on at most a 1024x1024 centre crop: enough pixels, bounded work).</summary>
    private static double EstimatedSigma(Tensor picture)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (Math.Min(1024, picture.shape[1]), Math.Min(1024, picture.shape[2]));
        var crop = picture.narrow(1, (picture.shape[1] - h) / 2, h).narrow(2, (picture.shape[2] - w) / 2, w);
        return h < 2 || w < 2 ? 0 : NoiseLevel.Estimate(crop.to(ScalarType.Float32));
    }

    /// <summary>The process's peak resident memory (Linux VmHWM), or null elsewhere.</summary>
    internal static long? PeakMemoryMiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
