using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImageRestoration.Configuration;
using ImageRestoration.Evaluation;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>evaluate</c>: scores a finished run on the test images (<see cref="RunEvaluation"/>), degraded as its configuration says.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter error, Option<string[]> set, Option<string?> data)
    {
        var run = new Argument<DirectoryInfo>("run-folder") { Description = "A run folder with a trained model (model.bin)." };
        var command = new Command("evaluate",
            "PSNR, SSIM, BCE and MSE of a trained model on the test images, degraded as its configuration says " +
            $"(change with --set {string.Join(", ", AllowedChanges.ForEvaluation)}).") { run, set, data };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var folder = new RunFolder(parsed.GetValue(run)!.FullName);
            var evaluation = RunEvaluation.Of(folder, Program.Overrides(parsed.GetValue(set), null, parsed.GetValue(data)), output);
            if (evaluation.OtherData is { } other)
            {
                // Said on both streams, so its scores are never read as the run's.
                output.WriteLine("WARNING: " + other);
                error.WriteLine("WARNING: " + other);
            }
            else
                output.WriteLine($"Scored the test images in {DisplayPath.Of(evaluation.DataDirectory)}: the run's own data (same content as it was trained on).");
            var score = evaluation.Score;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{folder}: {score.Images} test images ({evaluation.Inputs}): PSNR {score.Psnr:F2} dB, SSIM {score.Ssim:F4}, BCE {score.Bce:F4}, MSE {score.Mse:F5}"));
            output.WriteLine(JsonSerializer.Serialize(score));
            return 0;
        }));
        return command;
    }
}
