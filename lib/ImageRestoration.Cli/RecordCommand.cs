using System.CommandLine;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>record</c> keeps finished runs as data in the repository (<see cref="RecordedRuns"/>), for the notebooks to draw beside their own runs.</summary>
internal static class RecordCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folders = new Argument<DirectoryInfo[]>("run-folder") { Description = "Finished run folders to record.", Arity = ArgumentArity.OneOrMore };
        var into = new Option<DirectoryInfo?>("--output")
            { Description = "Where the recording goes (replaced whole); default data/recorded/presentation-100-epochs in the repository." };
        var description = new Option<string>("--description")
        {
            Description = "What the recording is, for recording.json.",
            DefaultValueFactory = _ => "The presentation's 100 epochs, clean and denoising (Gaussian noise 0.5), seed 42, trained side by side at one thread each.",
        };
        var command = new Command("record",
            "Copy finished runs' configurations and histories into the repository as recorded data, with the commands that made them, " +
            "the machine and the date (no folders of the machine); notebook 06 draws the presentation's 100 epochs from them.")
            { folders, into, description };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var runs = parsed.GetValue(folders)!.Select(f => new RunFolder(f.FullName)).ToList();
            var target = parsed.GetValue(into)?.FullName ?? RecordedRuns.PresentationDirectory;
            var recorded = RecordedRuns.Record(runs, target, parsed.GetValue(description)!, RecordedRuns.ThisMachine());
            foreach (var run in recorded.Runs)
                output.WriteLine($"Recorded {run.Name}: {run.History.Epochs.Count} epochs, final validation BCE " +
                                 $"{run.History.Last!.ValidationLoss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}");
            output.WriteLine($"Saved to {DisplayPath.Of(target)} ({recorded.Provenance.Machine}, {recorded.Provenance.Date}).");
            return 0;
        }));
        return command;
    }
}
