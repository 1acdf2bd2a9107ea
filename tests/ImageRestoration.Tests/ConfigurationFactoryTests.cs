using ImageRestoration.Cli;
using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// One factory makes every configuration and validates it once; each entry
/// point takes what it made without checking it again, and checks a copy made
/// with <c>with</c>. What a resume or an evaluation may change is decided in
/// one place (<see cref="AllowedChanges"/>).
/// </summary>
public sealed class ConfigurationFactoryTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private ExperimentConfiguration Tiny(params string[] overrides)
    {
        TinyMnist.Write(temp.Path, train: 64, test: 16);
        return ConfigurationFactory.Create(new ExperimentConfiguration { DataDirectory = temp.Path, LogDirectory = temp.File("runs") },
            ["epochs=1", "batchSize=32", "verbosity=0", "threads=1", .. overrides]);
    }

    [Fact]
    public void EveryProblemIsReportedByItsKeyInOneError()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigurationFactory.Create(overrides: ["batchSize=0", "epochs=abc", "colour=red", "degradation.noiseFactor=5", "seed"]));
        Assert.Contains("batchSize = 0: must be positive", error.Message);
        Assert.Contains("epochs = 'abc': not a valid whole number", error.Message);
        Assert.Contains("Unknown configuration key 'colour'", error.Message);
        Assert.Contains("degradation.noiseFactor = 5: must be between 0 and 2", error.Message);
        Assert.Contains("Override 'seed' is not of the form key=value", error.Message);
    }

    [Fact]
    public void DefaultsThenFileThenOverridesInThatOrder()
    {
        var file = temp.File("configuration.json");
        File.WriteAllText(file, """{ "epochs": 7, "batchSize": 64, "degradation": { "noiseFactor": 0.3 } }""");
        var configuration = ConfigurationFactory.Create(file, ["batchSize=32", "dataDirectory=data"], dataRelativeTo: temp.Path);
        Assert.Equal(7, configuration.Epochs);
        Assert.Equal(32, configuration.BatchSize);
        Assert.Equal(0.3, configuration.Degradation.NoiseFactor);
        Assert.Equal(1e-3, configuration.LearningRate);
        Assert.Equal(Path.Combine(temp.Path, "data"), configuration.DataDirectory);
    }

    [Fact]
    public void ARecordIsImmutableAndACopyKeepsItsRunName()
    {
        var configuration = new ExperimentConfiguration().With("mode=denoising");
        var copy = configuration with { };
        Assert.Equal(configuration, copy);
        Assert.Equal(RunName.Of(configuration), RunName.Of(copy));
        Assert.Equal(RunName.Of(configuration), RunName.Of(ExperimentConfiguration.FromJson(configuration.ToJson())));
        var edited = configuration.With("degradation.noiseFactor=0.3");
        Assert.Equal((0.3, 0.5), (edited.Degradation.NoiseFactor, configuration.Degradation.NoiseFactor));
    }

    [Fact]
    public void TrainingValidatesTheFactorysConfigurationOnce()
    {
        var before = ConfigurationFactory.Validations;
        var configuration = Tiny();
        using (Experiment.Run(configuration)) { }
        Assert.Equal(before + 1, ConfigurationFactory.Validations);
    }

    [Fact]
    public void TheCommandLinesTrainValidatesOnce()
    {
        TinyMnist.Write(temp.Path, train: 64, test: 16);
        var before = ConfigurationFactory.Validations;
        var code = Program.Run(["train", "--epochs", "1", "--data", temp.Path, "--set", $"logDirectory={temp.File("runs")}",
            "--set", "batchSize=32", "--set", "verbosity=0", "--set", "threads=1"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.Equal(before + 1, ConfigurationFactory.Validations);
    }

    [Fact]
    public void TheCommandLinesResumeAndEvaluateValidateTheSavedAndTheChangedConfigurationOnceEach()
    {
        TinyMnist.Write(temp.Path, train: 64, test: 16);
        var runs = temp.File("runs");
        Assert.Equal(0, Program.Run(["train", "--epochs", "1", "--data", temp.Path, "--set", $"logDirectory={runs}",
            "--set", "batchSize=32", "--set", "verbosity=0", "--set", "threads=1"], TextWriter.Null, TextWriter.Null));
        var folder = Assert.Single(Directory.GetDirectories(runs));
        var before = ConfigurationFactory.Validations;
        Assert.Equal(0, Program.Run(["train", "--resume", folder, "--epochs", "2"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(before + 2, ConfigurationFactory.Validations);
        before = ConfigurationFactory.Validations;
        Assert.Equal(0, Program.Run(["evaluate", folder, "--set", "testLimit=8"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(before + 2, ConfigurationFactory.Validations);
    }

    [Fact]
    public void ACopyMadeWithWithIsValidatedWhereItEntersAndRefusedByKey()
    {
        var invalid = Tiny() with { BatchSize = 0 };
        var error = Assert.Throws<ConfigurationException>(() => Experiment.Run(invalid));
        Assert.Contains("batchSize = 0", error.Message);
        Assert.False(RunFolder.For(invalid).HasRun);
    }

    [Fact]
    public void AResumeMayOnlyTrainLongerOrChangeHowItIsShownOrPaced()
    {
        var saved = new ExperimentConfiguration().With("epochs=5");
        AllowedChanges.RequireResume(saved, saved.With("epochs=8", "verbosity=2", "threads=1"), "run");
        // Naming a key at its saved value changes nothing.
        AllowedChanges.RequireResume(saved, saved.With("seed=42"), "run");
        Assert.Contains("'learningRate' cannot change",
            Assert.Throws<ConfigurationException>(() => AllowedChanges.RequireResume(saved, saved.With("learningRate=0.002"), "run")).Message);
        Assert.Contains("can only train longer",
            Assert.Throws<ConfigurationException>(() => AllowedChanges.RequireResume(saved, saved.With("epochs=4"), "run")).Message);
    }

    [Fact]
    public void AnEvaluationMayChangeTheTestImagesNotTheModel()
    {
        var trained = new ExperimentConfiguration().With("mode=denoising");
        AllowedChanges.RequireEvaluation(trained, trained.With("degradation.noiseFactor=0.3", "testLimit=100", "threads=1"));
        AllowedChanges.RequireEvaluation(trained, trained.With("degradation.kind=blur", "degradation.blurSigma=2"));
        Assert.Contains("'model' cannot change",
            Assert.Throws<ConfigurationException>(() => AllowedChanges.RequireEvaluation(trained, trained.With("model=wide"))).Message);
        Assert.Contains("'degradation.blurSigma' does not apply to degradation.kind gaussian",
            Assert.Throws<ConfigurationException>(() => AllowedChanges.RequireEvaluation(trained, trained.With("degradation.blurSigma=2"))).Message);
        Assert.Contains("evaluated clean",
            Assert.Throws<ConfigurationException>(() => AllowedChanges.RequireEvaluation(trained, trained.With("mode=clean", "degradation.noiseFactor=0.3"))).Message);
    }

    [Fact]
    public void NothingInRunFolderCallsBackIntoExperiment()
    {
        var used = LayeringTests.TypesUsedBy(typeof(RunFolder));
        Assert.Contains(typeof(RunName).FullName!, used);
        Assert.DoesNotContain(typeof(Experiment).FullName!, used);
    }
}
