using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>evaluate</c> scores a saved model; <c>study</c> runs one of the evaluation studies.</summary>
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

    /// <summary><c>epochs</c>: the epochs study of finished or running runs, from their history alone (no training).</summary>
    public static Command CreateEpochs(TextWriter output, TextWriter error)
    {
        var runs = new Argument<DirectoryInfo[]>("run-folder") { Description = "Run folders with a history.json.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("epochs",
            "Validation loss and PSNR against epochs for each run folder, the epoch after which 10 more epochs gain under 0.5%, " +
            "and the epochs where the validation loss rose (spikes).") { runs };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            foreach (var directory in parsed.GetValue(runs)!)
            {
                var folder = new RunFolder(directory.FullName);
                var study = EpochsStudy.Of(new DirectoryInfo(folder.Path).Name, folder.LoadVerifiedHistory());
                int[] shown = [1, 2, 5, .. Enumerable.Range(1, 10).Select(i => 10 * i), study.Last.Epoch];
                if (study.PayoffEpoch is { } payoff) shown = [.. shown, payoff];
                output.WriteLine($"{folder}:");
                output.WriteLine(study.ToMarkdown(shown.Distinct().Order()));
                output.WriteLine("spikes (epochs where the validation loss rose): " +
                                 (study.Spikes.Count == 0 ? "none" : string.Join(", ", study.Spikes.Select(s => s.Epoch))));
                output.WriteLine(study.Verdict());
                output.WriteLine();
            }
            return 0;
        }));
        return command;
    }

    public static Command CreateStudy(TextWriter output, TextWriter error, Option<FileInfo?> config, Option<string[]> set, Option<int?> epochs, Option<string?> data,
        CancellationToken interrupt)
    {
        var name = new Argument<string>("study") { Description = string.Join(" | ", Study.Names) };
        name.AcceptOnlyFromAmong([.. Study.Names]);
        var command = new Command("study",
            "Run an evaluation study (baselines, noise-sweep, degradations, capacity) with the configuration's budget; " +
            "trains what it needs into run folders (reusing finished ones) and writes LOGDIRECTORY/studies/STUDY.{json,md,html} (table and chart).")
            { name, config, set, epochs, data };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var configuration = ConfigurationFactory.Create(parsed.GetValue(config)?.FullName,
                Program.Overrides(parsed.GetValue(set), parsed.GetValue(epochs), parsed.GetValue(data)), Environment.CurrentDirectory);
            var options = new StudyOptions
            {
                Log = output,
                Progress = new TrainingProgress(output, configuration.Verbosity, configuration.Epochs,
                    ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected),
                Cancellation = interrupt,
            };
            StudyTable table;
            try
            {
                table = Study.Run(parsed.GetValue(name)!, configuration, options);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine("Interrupted: the run under way wrote a checkpoint. Run the same study again to continue it.");
                return Program.InterruptedCode;
            }
            var directory = options.DirectoryFor(configuration);
            if (directory.Length > 0) output.WriteLine($"Saved {StudyChart.Save(table, directory)}");
            output.WriteLine(table.ToMarkdown());
            return 0;
        }));
        return command;
    }
}
