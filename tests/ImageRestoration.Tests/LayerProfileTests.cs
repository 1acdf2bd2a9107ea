using ImageRestoration.Cli;
using ImageRestoration.Cli.Benchmarks;
using ImageRestoration.Models;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

public sealed class LayerProfileTests
{
    [Fact]
    public void EveryLayerOfThePresentationModelTheLossTheOptimizerAndTheWholeStepGetARow()
    {
        TorchRuntime.Initialize();
        using var batch = rand(16, 1, 28, 28);
        var rows = LayerProfile.Measure(batch);

        using var model = new Autoencoder();
        var layerNames = model.Layers.Select(l => l.Name).ToList();
        var partNames = rows.SelectMany(r => r.Part.Split(' ')[0].Split('+')).ToList();
        Assert.All(layerNames, name => Assert.Contains(name, partNames));
        Assert.Contains(rows, r => r.Part == "up3+conv7 (sub-pixel)" && r.Input == "16x14x14");
        Assert.Equal(["loss", "optimizer", "whole"], rows.TakeLast(3).Select(r => r.Part.Split(' ')[0]));
        // Times only as numbers a table can hold: how fast is the benchmark's to say, not a test's.
        Assert.All(rows, r => Assert.True(double.IsFinite(r.TotalMs) && r.TotalMs >= 0, $"{r.Part}: {r.TotalMs} ms"));

        var table = LayerProfile.ToMarkdown(1, 16, rows);
        Assert.Contains("| conv1 | 1x28x28 |", table);
        Assert.Contains("| whole training step | 1x28x28 | |", table);
    }

    [Theory]
    [InlineData("--rounds", "--layers", "--rounds", "2")]
    [InlineData("--python", "--layers", "--python", "none")]
    [InlineData("--threads 999", "--threads", "999")]
    [InlineData("/no-such-folder/table.md", "--layers", "--output", "/no-such-folder/table.md")]
    [InlineData("/no-such-folder/table.md", "--python", "none", "--output", "/no-such-folder/table.md")]
    public void BenchRefusesWhatDoesNotApplyOrCannotRunNamingIt(string named, params string[] args)
    {
        using var temp = new TempDirectory();
        TinyMnist.Write(temp.Path);
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.Equal(Program.UsageError, Program.Run(["bench", "--data", temp.Path, .. args], output, error));
        Assert.Contains(named, error.ToString());
        Assert.DoesNotContain(output.ToString().Split('\n'), l => l.StartsWith("round ") || l.StartsWith("| "));
    }
}
