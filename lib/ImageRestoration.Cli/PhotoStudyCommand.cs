using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Photos;
using ImageRestoration.Studies;
using static TorchSharp.torch;

namespace ImageRestoration.Cli;

/// <summary>
/// <c>photo-study</c>: the photo denoiser's targets, measured and printed:
/// PSNR/SSIM against the best classical filter at sigma 15, 25 and 50 on the
/// test photographs, the noise estimate's worst error, the check crop, and
/// with --speed the 512x512 time at 2 threads and the 4096x4096 peak memory.
/// </summary>
internal static class PhotoStudyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var photos = new Option<string?>("--photos") { Description = $"Folder of the sample photographs (else {PhotoSet.EnvironmentVariable}, else {PhotoSet.DefaultDirectory})." };
        var model = new Option<string?>("--model") { Description = "A model saved by train-photos (default: the shipped one)." };
        var speed = new Option<bool>("--speed") { Description = "Also time a 512x512 grey photo at 2 threads and measure a 4096x4096 restore's peak memory." };
        var command = new Command("photo-study", "Measure the photo denoiser against the classical filters on the test photographs.") { photos, model, speed };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var directory = PhotoSet.Directory(parsed.GetValue(photos));
            using var network = PhotoDenoiser.Load(parsed.GetValue(model));
            output.WriteLine($"Photo study on {string.Join(", ", PhotoSet.Test)} ({Environment.ProcessorCount} processors, load {Load()}):");
            var pictures = PhotoSet.Test.Select(name => (name, PhotoFile.Read(Path.Combine(directory, name)))).ToList();
            var result = PhotoStudy.Run(pictures, new ModelRestorer("photo denoiser (blind)", network));
            foreach (var (_, picture) in pictures) picture.Dispose();
            output.WriteLine(result.ToMarkdown());
            var (noisy, restored) = PhotoDenoiser.CheckCrop(network, directory);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Check crop (camera.png 96x96, sigma 25, seed 11): noisy {noisy:F4} dB, restored {restored:F4} dB."));
            if (parsed.GetValue(speed)) MeasureSpeed(network, directory, output);
            return 0;
        }));
        return command;
    }

    private static void MeasureSpeed(Models.NoiseResidualNetwork network, string directory, TextWriter output)
    {
        set_num_threads(2);
        using var camera = PhotoFile.Read(Path.Combine(directory, "camera.png"));
        using var noisy = PhotoStudy.Noisy(camera, 25, 3);
        PhotoDenoiser.Restore(network, noisy).Dispose(); // warm-up
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            PhotoDenoiser.Restore(network, noisy).Dispose();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"512x512 grey (camera.png), 2 threads: median {times[2]:F3}s of 5 (fastest {times[0]:F3}s), load {Load()}."));
        output.WriteLine(BigPictureMemory(output));
    }

    /// <summary>Restores a generated 4096x4096 colour picture in a fresh process and returns its peak-memory line.</summary>
    private static string BigPictureMemory(TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("photo-study-");
        try
        {
            using (var big = rand([3, 4096, 4096], generator: new Generator(1)).mul_(0.3).add_(0.35))
                PhotoFile.WritePng(big, Path.Combine(folder.FullName, "big.png"));
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "restore", Path.Combine(folder.FullName, "big.png"), "--out", Path.Combine(folder.FullName, "big-restored.png") })
                start.ArgumentList.Add(argument);
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Insert(0, typeof(Program).Assembly.Location);
            using var child = Process.Start(start)!;
            var text = child.StandardOutput.ReadToEnd() + child.StandardError.ReadToEnd();
            child.WaitForExit();
            var peak = text.Split('\n').FirstOrDefault(l => l.Contains("peak memory"))?.Trim() ?? "no peak memory reported: " + text.Trim();
            var time = text.Split('\n').FirstOrDefault(l => l.Contains("restored to"))?.Split(" in ").Last().Trim();
            return $"4096x4096 colour, restore in a fresh process (default threads): {peak} (restored in {time}), load {Load()}.";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
