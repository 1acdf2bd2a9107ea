using System.Text.Json.Nodes;
using ImageRestoration.Configuration;
using ImageRestoration.Notebooks;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// The presentation's 100 epochs, committed as data: each recorded run's
/// configuration still hashes to its folder's name, its history is as long as
/// its configuration says, its command trains that configuration, nothing of
/// the recording machine's folders is kept; notebook 06 computes its figures
/// from these files and types none of them.
/// </summary>
public sealed class RecordedRunsTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static RecordedRuns Committed() => RecordedRuns.Load(RecordedRuns.PresentationDirectory);

    [Fact]
    public void TheCommittedRecordingIsThePresentationsRunAndMatchesItsHashes()
    {
        var recorded = Committed();
        Assert.Equal([TrainingMode.Clean, TrainingMode.Denoising], recorded.Runs.Select(r => r.Configuration.Mode).Order());
        foreach (var run in recorded.Runs)
        {
            Assert.Equal(RunName.Of(run.Configuration), run.Name);
            Assert.True(run.Configuration.IsSameExperimentAs(new ExperimentConfiguration().With(run.Configuration.Mode == TrainingMode.Clean ? "mode=clean" : "mode=denoising")),
                $"{run.Name} is not the presentation's configuration");
            Assert.Equal(100, run.History.Epochs.Count);
            Assert.Equal(run.Configuration.Epochs, run.History.Epochs.Count);
        }
        Assert.Equal(recorded.Runs.Count, recorded.Provenance.Commands.Count);
        Assert.Contains("family", recorded.Provenance.Machine);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", recorded.Provenance.Date);
    }

    [Fact]
    public void EachRecordedCommandTrainsItsRecordedConfiguration()
    {
        var recorded = Committed();
        for (var i = 0; i < recorded.Runs.Count; i++)
        {
            var sets = recorded.Provenance.Commands[i].Split(' ').SkipWhile(t => t != "--set").Where(t => t != "--set");
            var configuration = new ExperimentConfiguration().With(sets);
            Assert.Equal(recorded.Runs[i].Name, RunName.Of(configuration));
        }
    }

    [Fact]
    public void TheRecordingKeepsNoFolderOfTheMachineThatMadeIt()
    {
        foreach (var file in Directory.EnumerateFiles(RecordedRuns.PresentationDirectory, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(@"[""\s](/(home|root|work|tmp|usr|opt|mnt|var|srv|Users)/|[A-Za-z]:\\)", text);
        }
    }

    [Fact]
    public void AChangedConfigurationOrACutHistoryIsRefused()
    {
        CopyDirectory(RecordedRuns.PresentationDirectory, temp.Path);
        var run = Committed().Runs[0];
        var configurationFile = Path.Combine(temp.Path, run.Name, "configuration.json");
        var historyFile = Path.Combine(temp.Path, run.Name, "history.json");
        RecordedRuns.Load(temp.Path);

        var original = File.ReadAllText(configurationFile);
        File.WriteAllText(configurationFile, original.Replace("\"learningRate\": 0.001", "\"learningRate\": 0.002"));
        Assert.Contains("hashes to", Assert.Throws<InvalidDataException>(() => RecordedRuns.Load(temp.Path)).Message);
        File.WriteAllText(configurationFile, original);

        var history = JsonNode.Parse(File.ReadAllText(historyFile))!;
        history["epochs"]!.AsArray().RemoveAt(99);
        File.WriteAllText(historyFile, history.ToJsonString());
        Assert.Contains("99 epochs", Assert.Throws<InvalidDataException>(() => RecordedRuns.Load(temp.Path)).Message);
    }

    [Fact]
    public void NotebookSixComputesTheRecordedFiguresAndTypesNone()
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find()!, "notebooks", "06-evaluation.ipynb")))!;
        var cells = notebook["cells"]!.AsArray();
        var source = string.Join("\n", cells.Select(c => string.Concat(c!["source"]!.AsArray().Select(l => (string?)l))));
        Assert.Contains("RecordedRuns.Load(RecordedRuns.PresentationDirectory)", source);
        Assert.Contains("Numbers.RecordedEpochs(recorded)", source);

        var (clean, denoising) = Numbers.RecordedEpochs(Committed());
        foreach (var study in new[] { clean, denoising })
        {
            // None of the recorded figures is typed into a cell: the final losses, the best one, the payoff epoch.
            Assert.DoesNotContain(study.Last.ValidationLoss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), source);
            Assert.DoesNotContain(study.Best.ValidationLoss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), source);
            Assert.DoesNotContain($"epoch {study.PayoffEpoch}", source);
        }

        // Once the notebook is committed with outputs, they show what the files give now.
        var outputs = string.Join("\n", cells.SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!.ToJsonString()));
        if (!outputs.Contains("recorded 100 epochs", StringComparison.Ordinal)) return;
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(clean.Verdict())[1..^1], outputs);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(denoising.Verdict())[1..^1], outputs);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(from, to));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to), overwrite: true);
    }
}
