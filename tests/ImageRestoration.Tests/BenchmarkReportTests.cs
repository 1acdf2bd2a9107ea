using ImageRestoration.Cli.Benchmarks;

namespace ImageRestoration.Tests;

public sealed class BenchmarkReportTests
{
    private static BenchmarkMeasurement Measurement(string framework, int threads, double train, double peak = 500, double[]? memory = null) =>
        new(framework, threads, train, 60000 / train, train * 2, peak, memory ?? [400, 401]);

    [Fact]
    public void PlanAlternatesFrameworksAndCoversEveryRoundAndThreadCount()
    {
        var plan = BenchmarkReport.Plan(2, [1, 2], ["TorchSharp", "PyTorch"]).ToList();

        Assert.Equal(8, plan.Count);
        Assert.Equal(["TorchSharp", "PyTorch", "TorchSharp", "PyTorch"], plan.Where(p => p.Round == 1).Select(p => p.Framework));
        Assert.Equal(["PyTorch", "TorchSharp", "PyTorch", "TorchSharp"], plan.Where(p => p.Round == 2).Select(p => p.Framework));
    }

    [Fact]
    public void SummaryTakesMediansAndRatioComparesMedians()
    {
        var report = new BenchmarkReport();
        report.Measurements.AddRange([
            Measurement("TorchSharp", 2, 3000), Measurement("PyTorch 1.13.1 eager", 2, 2000),
            Measurement("TorchSharp", 2, 1000, peak: 900, memory: [400, 430]), Measurement("PyTorch 1.13.1 eager", 2, 2500),
            Measurement("TorchSharp", 2, 2800), Measurement("PyTorch 1.13.1 eager", 2, 2400),
        ]);

        var ours = report.Summaries().Single(s => s.Framework == "TorchSharp");
        var training = report.Ratios(2).Single(r => r.Measure == "training");

        Assert.Equal(2800, ours.TrainImagesPerSecond);
        Assert.Equal(900, ours.PeakMemoryMiB);
        Assert.Equal(30, ours.MemoryGrowthMiB);
        Assert.Equal(2800.0 / 2400, training.Median, 12);
        Assert.Equal([1.5, 0.4, 2800.0 / 2400], training.PerRound);
        Assert.Contains("| training | 2 | PyTorch 1.13.1 eager | 1.17x |", report.ToMarkdown());
        Assert.Empty(report.Ratios(1));
    }

    [Fact]
    public void RatiosAreAgainstTheFastestVariantOfEachReleaseForEachMeasure()
    {
        // Inference throughput is twice the training throughput in these measurements (see Measurement).
        var report = new BenchmarkReport();
        report.Measurements.AddRange([
            Measurement("TorchSharp", 1, 3000),
            Measurement("PyTorch 2.6.0 eager", 1, 1000),
            Measurement("PyTorch 2.6.0 channels-last", 1, 2000),
            Measurement("PyTorch 2.6.0 compile", 1, 1500) with { InferenceImagesPerSecond = 5000 },
            Measurement("PyTorch 1.13.1 eager", 1, 1200),
        ]);

        var ratios = report.Ratios(1);

        Assert.Equal(4, ratios.Count);
        var training = ratios.Single(r => r.Measure == "training" && r.Fastest.StartsWith("PyTorch 2.6.0"));
        Assert.Equal("PyTorch 2.6.0 channels-last", training.Fastest);
        Assert.Equal(1.5, training.Median, 12);
        var inference = ratios.Single(r => r.Measure == "inference" && r.Fastest.StartsWith("PyTorch 2.6.0"));
        Assert.Equal("PyTorch 2.6.0 compile", inference.Fastest);
        Assert.Equal(6000.0 / 5000, inference.Median, 12);
        Assert.Equal("PyTorch 1.13.1 eager", ratios.Single(r => r.Measure == "training" && r.Fastest.StartsWith("PyTorch 1.13")).Fastest);
        var table = report.ToMarkdown();
        Assert.Contains("| PyTorch 2.6.0 compile | 1 | 1 |", table);
        Assert.Contains("| inference | 1 | PyTorch 2.6.0 compile | 1.20x |", table);
    }

    [Fact]
    public void WorkerLineRoundTripsAndMissingLineNamesTheWorker()
    {
        var measurement = Measurement("TorchSharp", 1, 1234.5);
        var parsed = BenchmarkMeasurement.FromOutput("warming up\n" + measurement.ToLine() + "\n", "w");

        Assert.Equal(measurement.TrainImagesPerSecond, parsed.TrainImagesPerSecond);
        Assert.Equal(measurement.MemoryAfterEpochMiB, parsed.MemoryAfterEpochMiB);
        var error = Assert.Throws<InvalidDataException>(() => BenchmarkMeasurement.FromOutput("Traceback ...", "PyTorch at 2 thread(s)"));
        Assert.Contains("PyTorch at 2 thread(s)", error.Message);
        Assert.Contains("Traceback", error.Message);
    }

    [Fact]
    public void PyTorchScriptPrintsTheSameFieldsAsTheWorker()
    {
        var script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_autoencoder.py"));
        var line = Measurement("x", 1, 1).ToLine();
        foreach (var field in System.Text.RegularExpressions.Regex.Matches(line, "\"([a-z_]+)\":").Select(m => m.Groups[1].Value))
            Assert.Contains($"\"{field}\"", script);
    }
}
