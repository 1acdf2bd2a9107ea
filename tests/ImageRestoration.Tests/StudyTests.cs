using ImageRestoration.Baselines;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Models;
using ImageRestoration.Studies;

namespace ImageRestoration.Tests;

/// <summary>Each study end to end on a tiny subset of real MNIST (300 training images, 100 test images, one epoch).</summary>
[Collection(MnistCollection.Name)]
public sealed class StudyTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private ExperimentConfiguration Tiny(params string[] overrides) =>
        new ExperimentConfiguration().With(["verbosity=0", "epochs=1", "batchSize=32", "trainLimit=300", "testLimit=100",
            $"dataDirectory={SharedMnist.Directory}", $"logDirectory={temp.Path}", .. overrides]);

    private static StudyOptions Quick => new() { Baselines = () => [new MedianFilter(3)] };

    [Fact]
    public void BaselinesStudyScoresEveryMethodOnTheValidationImages()
    {
        var table = Study.Run(Study.Baselines, Tiny());

        var methods = table.Rows.Select(r => r.Method).ToList();
        Assert.Equal(["degraded input", .. BaselineCatalog.Standard().Select(b => b.Name), "presentation trained on clean", "presentation trained on gaussian-0.5", "presentation trained on clean"],
            methods);
        Assert.All(table.Rows.Take(methods.Count - 1), r => Assert.Equal("gaussian-0.5", r.Degradation));
        Assert.All(table.Rows, r => Assert.Equal(100, r.Images));
        Assert.Equal((300, 100), (table.TrainImages, table.TestImages));

        // The study degrades the test images exactly as the trainer's validation did: same BCE.
        var noisy = table.Find("presentation trained on gaussian-0.5")!;
        Assert.Equal(noisy.FinalValidationLoss!.Value, noisy.Bce, 4);
        var cleanOnClean = table.Rows[^1];
        Assert.Equal("none", cleanOnClean.Degradation);
        Assert.Equal(cleanOnClean.FinalValidationLoss!.Value, cleanOnClean.Bce, 4);
        Assert.Equal(4385, noisy.Parameters);
        Assert.Equal(1, noisy.Epochs);

        var input = table.Find("degraded input")!;
        Assert.True(table.Find("median 3x3")!.Psnr > input.Psnr + 3);
        Assert.All(table.Rows, r => Assert.True(double.IsFinite(r.Psnr) && r.Ssim is > -1 and <= 1, r.Method));

        var saved = StudyTable.Load(Path.Combine(temp.Path, "studies", "baselines.json"));
        Assert.Equal(table.Rows, saved.Rows);
        Assert.False(File.Exists(Path.Combine(temp.Path, "studies", "baselines.html"))); // pages are the display library's
        var page = File.ReadAllText(Charts.StudyChart.Save(table, Path.Combine(temp.Path, "studies")));
        Assert.Contains("PSNR and SSIM on gaussian-0.5 test images", page);
        var markdown = File.ReadAllText(Path.Combine(temp.Path, "studies", "baselines.md"));
        Assert.Contains("| median 5x5 | gaussian-0.5 |", markdown);
        Assert.Contains("300 training images, 100 test images", markdown);
    }

    [Fact]
    public void AStudyReusesTheFinishedRunsOfAnEarlierOne()
    {
        var configuration = Tiny();
        var first = Study.RunNoiseSweep(configuration, Quick with { NoiseLevels = [0.5] });
        var modelFile = Path.Combine(Directory.GetDirectories(temp.Path, "denoising-gaussian-0.5-seed42-*").Single(), "model.bin");
        var written = File.GetLastWriteTimeUtc(modelFile);

        var second = Study.RunNoiseSweep(configuration, Quick with { NoiseLevels = [0.5] });

        Assert.Equal(written, File.GetLastWriteTimeUtc(modelFile));
        Assert.Equal(first.Rows, second.Rows);
    }

    [Fact]
    public void TheSweepTakesTheBaselinesRowsAtTheirNoiseLevelInsteadOfScoringThemAgain()
    {
        var configuration = Tiny();
        var baselines = Study.RunBaselines(configuration, Quick);
        var scoredAgain = Study.RunNoiseSweep(configuration, Quick with { NoiseLevels = [0.5] });
        var log = new StringWriter();

        var taken = Study.RunNoiseSweep(configuration, Quick with { NoiseLevels = [0.1, 0.5], Scored = baselines, Log = log });

        Assert.Equal(scoredAgain.Rows, taken.Rows.Where(r => r.NoiseLevel == 0.5));
        Assert.Contains("At gaussian-0.5: the baselines study's rows", log.ToString());
        Assert.Contains("Scoring at gaussian-0.1", log.ToString());
        // Other methods than the baselines study scored: scored here.
        var other = Study.RunNoiseSweep(configuration, Quick with { NoiseLevels = [0.5], Scored = baselines, Baselines = () => [new MedianFilter(5)] });
        Assert.Contains(other.Rows, r => r.Method == "median 5x5");
    }

    [Fact]
    public void NoiseSweepEvaluatesOneTrainedModelAtEveryLevel()
    {
        var table = Study.Run(Study.NoiseSweep, Tiny(), Quick with { NoiseLevels = [0.1, 0.5, 0.9] });

        Assert.Equal(9, table.Rows.Count);
        Assert.Equal([0.1, 0.5, 0.9], table.Rows.Select(r => r.NoiseLevel!.Value).Distinct());
        Assert.All(table.Rows.Where(r => r.Kind == RestorerKind.Model), r => Assert.Equal("gaussian-0.5", r.TrainedOn));
        var input = table.Rows.Where(r => r.Kind == RestorerKind.Input).Select(r => r.Psnr).ToList();
        Assert.True(input[0] > input[1] && input[1] > input[2], "more noise, lower PSNR");
        Assert.Equal("gaussian-0.9", table.Rows[^1].Degradation);
        var atTrainingLevel = table.Find("presentation trained on gaussian-0.5", noiseLevel: 0.5)!;
        Assert.Equal(atTrainingLevel.FinalValidationLoss!.Value, atTrainingLevel.Bce, 4);
        var markdown = table.ToMarkdown();
        Assert.Contains("PSNR (dB) by noise level:", markdown);
        Assert.Contains("| Method | 0.1 | 0.5 | 0.9 |", markdown);
    }

    [Fact]
    public void DegradationStudyTrainsOneModelPerDegradation()
    {
        var table = Study.Run(Study.Degradations, Tiny(), Quick);

        var models = table.Rows.Where(r => r.Kind == RestorerKind.Model).ToList();
        Assert.Equal(["gaussian-0.5", "salt-and-pepper-0.2", "mask-0.2", "square-mask-8", "blur-1.5"], models.Select(r => r.TrainedOn));
        Assert.All(models, r => Assert.Equal(r.TrainedOn, r.Degradation));
        Assert.Equal(15, table.Rows.Count);
        Assert.All(models, r => Assert.Equal(r.FinalValidationLoss!.Value, r.Bce, 4));
        Assert.Single(Directory.GetDirectories(temp.Path, "denoising-blur-1.5-seed42-*"));
    }

    [Fact]
    public void CapacityStudyComparesModelsWithTheSameBudget()
    {
        var table = Study.Run(Study.Capacity, Tiny(), new StudyOptions { Models = [ModelCatalog.Presentation, ModelCatalog.UNetSmall] });

        Assert.Equal(["degraded input", "presentation trained on gaussian-0.5", "unet-small trained on gaussian-0.5"], table.Rows.Select(r => r.Method));
        var (presentation, unet) = (table.Rows[1], table.Rows[2]);
        Assert.Equal((4385L, 10001L), (presentation.Parameters!.Value, unet.Parameters!.Value));
        Assert.All([presentation, unet], r =>
        {
            Assert.True(r.EpochSeconds > 0);
            Assert.NotNull(r.TrainPsnr);
            Assert.NotNull(r.BceGap);
            Assert.Equal(r.FinalValidationLoss!.Value, r.Bce, 4);
        });
        Assert.Contains("PSNR gap", table.ToMarkdown());
    }

    [Fact]
    public void UnknownStudiesAndEmptyListsAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Study.Run("ablation", Tiny()));
        Assert.Contains("noise-sweep", error.Message);
        Assert.Throws<ArgumentException>(() => Study.RunCapacity(Tiny(), new StudyOptions { Models = [] }));
        Assert.Throws<ArgumentException>(() => Study.RunNoiseSweep(Tiny(), new StudyOptions { NoiseLevels = [] }));
    }
}
