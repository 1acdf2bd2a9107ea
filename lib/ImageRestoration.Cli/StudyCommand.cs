using System.CommandLine;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>study</c>: runs one of the evaluation studies and saves its table and chart.</summary>
internal static class StudyCommand
{
    public static Command Create(TextWriter output, TextWriter error, Option<FileInfo?> config, Option<string[]> set, Option<int?> epochs, Option<string?> data,
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
