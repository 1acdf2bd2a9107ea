using System.Text.Json.Nodes;
using ImageRestoration.Configuration;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Models;
using ImageRestoration.Notebooks;
using ImageRestoration.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Tests;

/// <summary>Editing a setting and training again never overwrites another run; the environment's overrides reach every notebook.</summary>
public sealed class RerunTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private ExperimentConfiguration Tiny(params string[] overrides)
    {
        TinyMnist.Write(temp.Path, train: 64, test: 16);
        return new ExperimentConfiguration { DataDirectory = temp.Path, LogDirectory = temp.File("runs") }
            .With(["epochs=2", "batchSize=32", "verbosity=0", "threads=1", .. overrides]);
    }

    [Theory]
    [InlineData("epochs=3")]
    [InlineData("learningRate=0.002")]
    [InlineData("batchSize=64")]
    [InlineData("degradation.noiseFactor=0.3")]
    [InlineData("earlyStopping.patience=2")]
    public void AnEditThatChangesResultsTrainsIntoANewFolder(string edit)
    {
        var configuration = new ExperimentConfiguration().With("mode=denoising");
        var edited = configuration.With(edit);

        Assert.NotEqual(RunFolder.For(configuration).Path, RunFolder.For(edited).Path);
        // Still readable: the name starts with what the run is.
        Assert.StartsWith("denoising-gaussian-", Path.GetFileName(RunFolder.For(edited).Path));
    }

    [Theory]
    [InlineData("verbosity=2")]
    [InlineData("threads=1")]
    [InlineData("picturesShown=5")]
    public void SettingsThatOnlyChangeHowARunIsShownKeepItsFolder(string edit)
    {
        var configuration = new ExperimentConfiguration();
        Assert.Equal(RunFolder.For(configuration).Path, RunFolder.For(configuration.With(edit)).Path);
        Assert.Matches("^clean-seed42-[0-9a-f]{8}$", RunName.Of(configuration));
    }

    [Fact]
    public void RerunningAfterAnEditKeepsTheFirstRun()
    {
        var first = Tiny();
        using (Experiment.Run(first)) { }
        var firstHistory = RunFolder.For(first).LoadHistory().ToJson();

        var edited = first.With("epochs=3");
        using (var second = Experiment.Run(edited))
            Assert.Equal(3, second.History.Epochs.Count);

        Assert.Equal(firstHistory, RunFolder.For(first).LoadHistory().ToJson()); // untouched
        Assert.Equal(2, Directory.GetDirectories(first.LogDirectory).Length);
        // LoadOrRun finds each run again instead of retraining over it.
        using var reloaded = Experiment.LoadOrRun(first);
        Assert.Equal(2, reloaded.History.Epochs.Count);
    }

    [Fact]
    public void TheEnvironmentsOverridesWinOverANotebooksOwnKeys()
    {
        var saved = Environment.GetEnvironmentVariable(NotebookProfile.OverridesVariable);
        try
        {
            Environment.SetEnvironmentVariable(NotebookProfile.OverridesVariable, "degradation.noiseFactor=0.3;epochs=4");
            var configuration = NotebookProfile.Quick.Configuration("mode=denoising", "degradation.noiseFactor=0.5", "epochs=2");
            Assert.Equal((0.3, 4), (configuration.Degradation.NoiseFactor, configuration.Epochs));
            var study = NotebookProfile.Class.StudyConfiguration("degradation.noiseFactor=0.5");
            Assert.Equal((0.3, 4), (study.Degradation.NoiseFactor, study.Epochs));
        }
        finally
        {
            Environment.SetEnvironmentVariable(NotebookProfile.OverridesVariable, saved);
        }
    }

    /// <summary>
    /// Notebooks 05-07 build their configurations only through the profile
    /// (with their parameters cell's values), whose overrides come last: no
    /// cell edits a configuration afterwards.
    /// </summary>
    [Theory]
    [InlineData("05-denoising.ipynb")]
    [InlineData("06-evaluation.ipynb")]
    [InlineData("07-restoration-quality.ipynb")]
    public void AnOverrideReachesTheLaterNotebooks(string notebook)
    {
        var path = Path.Combine(RepositoryRoot.Find()!, "notebooks", notebook);
        var code = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code")
            .Select(c => c!["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)c["source"] ?? "")
            .ToList();
        var all = string.Join("\n", code);
        Assert.Contains("profile.", all);
        Assert.Matches(@"profile\.(Study)?Configuration\(", all);
        // The profile takes the parameters cell's values (With(new { ... })) before it builds a configuration;
        // nothing edits a configuration after it is built.
        Assert.DoesNotMatch(@"\.With\((?!new \{)", all);
        Assert.DoesNotContain("new ExperimentConfiguration", all);
    }

    [Fact]
    public void EarlyStoppingIsOffByDefaultAndListedAmongTheKeys()
    {
        var configuration = new ExperimentConfiguration();
        Assert.False(configuration.EarlyStopping.Enabled);
        Assert.False(configuration.EarlyStopping.ShouldStop([0.3, 0.4, 0.5, 0.6]));
        var keys = configuration.Keys().Select(k => k.Name).ToList();
        Assert.Contains("earlyStopping.patience", keys);
        Assert.Contains("earlyStopping.minDelta", keys);
        var error = Assert.Throws<ConfigurationException>(() => configuration.With("earlyStopping.patience=-1"));
        Assert.Contains("earlyStopping.patience = -1", error.Message);
    }

    [Fact]
    public void EarlyStoppingCountsEpochsWithoutEnoughImprovementAsKerasDoes()
    {
        var settings = new EarlyStoppingSettings { Patience = 2, MinDelta = 0.01 };
        Assert.False(settings.ShouldStop([0.5, 0.4]));
        Assert.False(settings.ShouldStop([0.5, 0.4, 0.395])); // 1 epoch without a 0.01 improvement
        Assert.True(settings.ShouldStop([0.5, 0.4, 0.395, 0.41])); // 2
        Assert.False(settings.ShouldStop([0.5, 0.4, 0.395, 0.38])); // 0.02 below the best: improved
    }

    [Fact]
    public void EarlyStoppingEndsATrainingBeforeItsLastEpoch()
    {
        // No fall of a whole unit of BCE ever counts as an improvement: stop after patience epochs past the first.
        var configuration = Tiny("epochs=6", "earlyStopping.patience=2", "earlyStopping.minDelta=1");
        var log = new StringWriter();
        using var result = Experiment.Run(configuration, log: log);

        Assert.Equal(3, result.History.Epochs.Count);
        Assert.Contains("Stopped early after epoch 3 of 6", log.ToString());
        Assert.True(File.Exists(result.RunFolder.ModelFile));
    }

    private sealed class WiderBottleneck : Module<torch.Tensor, torch.Tensor>
    {
        private readonly Sequential layers;

        public WiderBottleneck(int code) : base(nameof(WiderBottleneck))
        {
            layers = Sequential(Conv2d(1, code, 3, padding: 1), ReLU(), MaxPool2d(2), Conv2d(code, 4, 3, padding: 1), ReLU(),
                Upsample(scale_factor: [2.0, 2.0]), Conv2d(4, 1, 3, padding: 1), Sigmoid());
            RegisterComponents();
        }

        public override torch.Tensor forward(torch.Tensor input) => layers.forward(input);
    }

    [Fact]
    public void AModelDefinedOutsideTheLibraryTrainsIntoItsOwnFolder()
    {
        ModelCatalog.Register("test-wider", () => new WiderBottleneck(12));
        var configuration = Tiny("model=test-wider");
        using var result = Experiment.Run(configuration);

        Assert.Equal(2, result.History.Epochs.Count);
        Assert.StartsWith("test-wider-clean-seed42-", Path.GetFileName(result.RunFolder.Path));
        Assert.True(File.Exists(result.RunFolder.ModelFile));
        // A different definition under the same name is a different run.
        var before = RunName.Of(configuration);
        ModelCatalog.Register("test-wider", () => new WiderBottleneck(16));
        Assert.NotEqual(before, RunName.Of(configuration));
    }

    [Fact]
    public void AModuleDefinedInANotebookTrainsWithChannelsLastWeights()
    {
        ModelCatalog.Register("test-sequential", () => Sequential(Conv2d(1, 4, 3, padding: 1), ReLU(), Conv2d(4, 1, 3, padding: 1), Sigmoid()));

        using var model = ModelCatalog.Create("test-sequential");

        Assert.True(ChannelsLastWeights.IsApplied(model));
    }

    [Fact]
    public void AModelOfTheWrongShapeIsRefusedWithItsShape()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ModelCatalog.Register("test-halves", () => Sequential(Conv2d(1, 1, 3, padding: 1), MaxPool2d(2), Sigmoid())));
        Assert.Contains("(2, 1, 14, 14)", error.Message);
        Assert.Contains("(2, 1, 28, 28)", error.Message);

        var unbounded = Assert.Throws<ArgumentException>(() => ModelCatalog.Register("test-linear", () => Conv2d(1, 1, 3, padding: 1)));
        Assert.Contains("sigmoid", unbounded.Message);
        Assert.Throws<ArgumentException>(() => ModelCatalog.Register(ModelCatalog.Presentation, () => new Autoencoder()));
    }

    [Fact]
    public void TheEpochsAnalysisFindsSpikesAndWhereEpochsStopPaying()
    {
        double[] validation = [0.20, 0.15, 0.13, 0.14, 0.12, 0.119, 0.1189, 0.1188, 0.1189, 0.1187];
        var history = new TrainingHistory
        {
            Epochs = validation.Select((v, i) => new EpochRecord(i + 1, v + 0.01 - i * 0.001, v, 0.1, v / 10, 1)).ToList(),
        };
        var study = EpochsAnalysis.Of("made up", history, window: 2, threshold: 0.005);

        Assert.Equal([4, 9], study.Spikes.Select(s => s.Epoch));
        Assert.Equal(5, study.Spikes[0].RecoveredAt);
        Assert.Equal(6, study.PayoffEpoch); // 0.119 -> 0.1188 over 2 epochs: 0.17%
        Assert.False(study.Overfits);
        Assert.Equal(10, study.Best.Epoch);
        Assert.Contains("rose at 2 of 9", study.Verdict());
    }

    [Fact]
    public void TheModelCodeNotebook03ShowsIsTheSourceThatIsCompiled()
    {
        const string file = "Models/Autoencoder.cs";
        var onDisk = File.ReadAllText(Path.Combine(RepositoryRoot.Find()!, "lib", "ImageRestoration", file));
        Assert.Equal(onDisk, LibrarySource.Read(file));
        Assert.Contains(file, LibrarySource.Files);
    }
}
