using ImageRestoration.Cli;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.BuildCommand(output, error, only: args.FirstOrDefault()).Parse(args).Invoke();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void ACommandLineBuildsOnlyTheCommandItNames()
    {
        var all = Program.BuildCommand(TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name).ToList();
        Assert.Contains("train", all);
        Assert.Contains("restore", all);
        foreach (var name in all)
            Assert.Equal([name], Program.BuildCommand(TextWriter.Null, TextWriter.Null, only: name).Subcommands.Select(c => c.Name));
        Assert.Equal(all, Program.BuildCommand(TextWriter.Null, TextWriter.Null, only: "--help").Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void SummaryPrintsTheParameterCount()
    {
        var (code, output, _) = Run("summary");
        Assert.Equal(0, code);
        Assert.Contains("Total params: 4,385", output);
    }

    [Fact]
    public void KeysListsEveryKeyWithItsDefault()
    {
        var (code, output, _) = Run("keys");
        Assert.Equal(0, code);
        Assert.Matches(@"batchSize\s+128", output);
        Assert.Matches(@"degradation\.noiseFactor\s+0\.5", output);
    }

    [Fact]
    public void BadOverrideExitsWithTwoAndNamesTheKey()
    {
        var (code, _, error) = Run("train", "--set", "batchSize=0", "--set", $"logDirectory={temp.Path}");
        Assert.Equal(Program.UsageError, code);
        Assert.Contains("batchSize = 0", error);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void MissingDataExitsWithTwoAndNamesTheFolder()
    {
        var missing = temp.File("no-data");
        var (code, _, error) = Run("train", "--data", missing, "--set", $"logDirectory={temp.Path}");
        Assert.Equal(Program.UsageError, code);
        Assert.Contains(missing, error);
    }

    [Fact]
    public void BenchWithAMissingPythonExitsWithTwoAndNamesIt()
    {
        TinyMnist.Write(temp.Path);
        var python = temp.File("no-python");
        var (code, output, error) = Run("bench", "--data", temp.Path, "--python", python, "--rounds", "1");
        Assert.Equal(Program.UsageError, code);
        Assert.Contains(python, error);
        Assert.Contains("pytorch-bench-root.sh", error);
        Assert.DoesNotContain("round 1", output);
    }

    [Theory]
    [InlineData("--epochs x", "train", "--epochs", "x")]
    [InlineData("--rounds x", "bench", "--rounds", "x")]
    [InlineData("--threads y", "bench", "--threads", "1", "y")]
    [InlineData("--inference-batch 1.5", "bench", "--inference-batch", "1.5")]
    public void AWholeNumberOptionGivenSomethingElseExitsWithTwoAndNamesIt(string named, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.Equal(Program.UsageError, Program.Run(args, output, error));
        Assert.Contains($"{named}: not a whole number.", error.ToString());
        Assert.DoesNotContain("System.Int32", error.ToString());
    }

    [Fact]
    public void TrainWritesARunFolder()
    {
        var data = Path.Combine(temp.Path, "data");
        Directory.CreateDirectory(data);
        TinyMnist.Write(data, train: 40, test: 10);
        var runs = Path.Combine(temp.Path, "runs");

        var (code, output, error) = Run("train", "--epochs", "2", "--data", data, "--set", $"logDirectory={runs}", "--set", "verbosity=2");

        Assert.True(code == 0, error);
        var folder = Directory.GetDirectories(runs, "clean-seed42-*").Single();
        Assert.Contains("Epoch 2/2", output);
        Assert.Contains("Final: train BCE", output);
        Assert.Equal(2, TrainingHistory.FromJson(File.ReadAllText(Path.Combine(folder, "history.json"))).Epochs.Count);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "history.csv")).Length);
        Assert.True(File.Exists(Path.Combine(folder, "model.bin")));
        Assert.Contains("plotly", File.ReadAllText(Path.Combine(folder, "loss.html")));
        Assert.True(File.Exists(Path.Combine(folder, "digits.png")));
        Assert.Equal(2, ImageRestoration.Configuration.ExperimentConfiguration.Load(Path.Combine(folder, "configuration.json")).Epochs);
        var metrics = FinalMetrics.FromJson(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal(4385, metrics.Parameters);
        Assert.InRange(metrics.ValidationPsnr, 1, 60);

        var (evaluated, scores, evaluateError) = Run("evaluate", folder, "--set", "mode=denoising", "--set", "degradation.noiseFactor=0.3");
        Assert.True(evaluated == 0, evaluateError);
        Assert.Contains("10 test images (gaussian-0.3): PSNR", scores);
        var (refused, _, refusal) = Run("evaluate", folder, "--set", "model=unet");
        Assert.Equal(Program.UsageError, refused);
        Assert.Contains("'model' cannot change", refusal);
        // threads is one of the keys evaluate takes, so it goes through the same check as training's.
        var (tooMany, _, threadsRefusal) = Run("evaluate", folder, "--set", "threads=999");
        Assert.Equal(Program.UsageError, tooMany);
        Assert.Contains("threads = 999", threadsRefusal);
    }
}
