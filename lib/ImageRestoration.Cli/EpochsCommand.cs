using System.CommandLine;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>epochs</c>: the epochs analysis of finished or running runs, from their history alone (no training).</summary>
internal static class EpochsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
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
                var study = EpochsAnalysis.Of(new DirectoryInfo(folder.Path).Name, folder.LoadVerifiedHistory());
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
}
