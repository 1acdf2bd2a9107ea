using ImageRestoration.Configuration;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// Names the configuration had before: the presentation's model was first
/// called "seed", a name read as the random seed, and the degradation section
/// "noise", though it also sets masks and blur. Files, overrides, folders and
/// tables written with them still read, with one notice each, and every run
/// keeps its name.
/// </summary>
public sealed class FormerNamesTests : IDisposable
{
    private const string Notice = "model \"seed\" is now called \"presentation\"";
    private const string SectionNotice =
        "configuration section \"noise\" is now called \"degradation\" (and its keys factor, clip, size, sigma are now noiseFactor, noiseClip, squareSize, blurSigma)";

    private readonly TempDirectory temp = new();
    private readonly StringWriter notices = new();

    public FormerNamesTests() => FormerNames.NoticeWriter = notices;

    public void Dispose()
    {
        FormerNames.NoticeWriter = null;
        temp.Dispose();
    }

    private string[] NoticeLines() => notices.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void TheRecordedConfigurationsSaySeedReadAsPresentationAndKeepTheirFolderNames()
    {
        foreach (var name in new[] { "clean-seed42-5741a4b1", "denoising-gaussian-0.5-seed42-733e641a" })
        {
            var file = Path.Combine(RecordedRuns.PresentationDirectory, name, "configuration.json");
            Assert.Contains("\"model\": \"seed\"", File.ReadAllText(file));
            Assert.Contains("\"noise\": {", File.ReadAllText(file));
            var configuration = ExperimentConfiguration.Load(file);
            Assert.Equal(ModelCatalog.Presentation, configuration.Model);
            Assert.Equal(name, RunName.Of(configuration));
        }
        Assert.Equal([Notice, SectionNotice, Notice, SectionNotice], NoticeLines());
    }

    [Fact]
    public void AnOldDegradationSectionReadsAsTheNewOneWithTheSameRunName()
    {
        var old = temp.File("old.json");
        File.WriteAllText(old, """{ "mode": "denoising", "noise": { "kind": "blur", "factor": 0.3, "clip": false, "size": 5, "sigma": 2 } }""");
        var read = ConfigurationFactory.Create(old);
        Assert.Equal([SectionNotice], NoticeLines());
        Assert.Equal(new DegradationSettings { Kind = DegradationKind.Blur, NoiseFactor = 0.3, NoiseClip = false, SquareSize = 5, BlurSigma = 2 },
            read.Degradation);
        var current = ConfigurationFactory.Create(overrides:
            ["mode=denoising", "degradation.kind=blur", "degradation.noiseFactor=0.3", "degradation.noiseClip=false", "degradation.squareSize=5", "degradation.blurSigma=2"]);
        Assert.Equal(RunName.Of(current), RunName.Of(read));
        Assert.Contains("\"degradation\": {", read.ToJson());
        Assert.DoesNotContain("\"noise\"", read.ToJson());
    }

    [Fact]
    public void OldDegradationKeysAreReadFromOverridesInAnyCaseWithANoticeEach()
    {
        var read = ConfigurationFactory.Create(overrides: ["mode=denoising", "noise.factor=0.3", "Noise.Kind=gaussian"]);
        Assert.Equal(0.3, read.Degradation.NoiseFactor);
        Assert.Equal(
            ["configuration key \"noise.factor\" is now called \"degradation.noiseFactor\"", "configuration key \"Noise.Kind\" is now called \"degradation.kind\""],
            NoticeLines());
        Assert.Equal(RunName.Of(ConfigurationFactory.Create(overrides: ["mode=denoising", "degradation.noiseFactor=0.3"])), RunName.Of(read));
    }

    [Fact]
    public void AFileGivingBothTheOldAndTheNewNameIsRefusedNamingBoth()
    {
        var both = temp.File("both.json");
        File.WriteAllText(both, """{ "noise": { "factor": 0.3 }, "degradation": { "noiseFactor": 0.4 } }""");
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationFactory.Create(both));
        Assert.Contains("both.json", error.Message);
        Assert.Contains("\"noise\" is the former name of \"degradation\"", error.Message);
        File.WriteAllText(both, """{ "noise": { "factor": 0.3, "noiseFactor": 0.4 } }""");
        Assert.Contains("\"noise.factor\" is the former name of \"degradation.noiseFactor\"",
            Assert.Throws<ConfigurationException>(() => ConfigurationFactory.Create(both)).Message);
    }

    [Fact]
    public void ThePresentationsDefaultsKeepTheRunNamesTheyHadWhenTheModelWasCalledSeed()
    {
        Assert.Equal("clean-seed42-5741a4b1", RunName.Of(new ExperimentConfiguration()));
        Assert.Equal("denoising-gaussian-0.5-seed42-733e641a", RunName.Of(new ExperimentConfiguration().With("mode=denoising")));
        Assert.Equal("unet-clean-seed42-", RunName.Of(new ExperimentConfiguration().With("model=unet"))[..^8]);
        Assert.Empty(NoticeLines());
    }

    [Fact]
    public void AnOldConfigurationFileGivesOneNoticeAndTheSameRunAsTheNewName()
    {
        var old = temp.File("old.json");
        File.WriteAllText(old, """{ "model": "seed", "epochs": 3 }""");
        var read = ConfigurationFactory.Create(old);
        Assert.Equal([Notice], NoticeLines());
        var current = ConfigurationFactory.Create(overrides: ["model=presentation", "epochs=3"]);
        Assert.Equal([Notice], NoticeLines());
        Assert.Equal(ModelCatalog.Presentation, read.Model);
        Assert.Equal(RunName.Of(current), RunName.Of(read));
        Assert.Equal(RunName.Identity(current), RunName.Identity(read));
        Assert.True(read.IsSameExperimentAs(current) && current.IsSameExperimentAs(read));
        Assert.Empty(AllowedChanges.Changed(read, current));
        Assert.Contains("\"model\": \"presentation\"", read.ToJson());
    }

    [Fact]
    public void TheOldNameIsReadFromOverridesInAnyCaseAndFromCode()
    {
        Assert.Equal(ModelCatalog.Presentation, ConfigurationFactory.Create(overrides: ["model=seed"]).Model);
        Assert.Equal(ModelCatalog.Presentation, new ExperimentConfiguration().With("model=Seed").Model);
        Assert.Equal(2, NoticeLines().Length);
        Assert.Equal(ModelCatalog.Presentation, (new ExperimentConfiguration() with { Model = "seed" }).Model);
        Assert.Equal("unet", (new ExperimentConfiguration() with { Model = "unet" }).Model);
        Assert.DoesNotContain("seed", ModelCatalog.Names);
    }

    [Fact]
    public void AnOldRunFolderIsStillRecognisedAsItsRun()
    {
        var name = RunName.Of(ConfigurationFactory.Create(overrides: ["epochs=3"]));
        var folder = new RunFolder(temp.File(name));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.ConfigurationFile, File.ReadAllText(Path.Combine(RecordedRuns.PresentationDirectory, "clean-seed42-5741a4b1", "configuration.json"))
            .Replace("\"epochs\": 100", "\"epochs\": 3").Replace("\"threads\": 1", "\"threads\": 0"));
        var saved = folder.LoadConfiguration();
        folder.RequireIdentity(saved);
        folder.RequireIdentity(new ExperimentConfiguration().With("epochs=5"));
        Assert.True(RunName.Names(name, saved));
    }

    [Fact]
    public void ACatalogAndARegistrationKnowTheOldName()
    {
        TorchRuntime.Initialize();
        using var model = ModelCatalog.Create("seed");
        Assert.IsType<Autoencoder>(model);
        Assert.Throws<ArgumentException>(() => ModelCatalog.Register("seed", () => new Autoencoder()));
    }

    [Fact]
    public void AStudyTableSavedWithTheOldNameReadsWithTheNewOne()
    {
        var saved = new StudyTable
        {
            Study = Study.Capacity, Title = "capacity", Configuration = new ExperimentConfiguration(),
            Rows =
            [
                new StudyRow { Method = "seed trained on gaussian-0.5", Kind = Evaluation.RestorerKind.Model, Degradation = "gaussian-0.5", Model = "unet" },
                new StudyRow { Method = "seed 3x3", Kind = Evaluation.RestorerKind.Baseline, Degradation = "gaussian-0.5" },
            ],
        }.ToJson().Replace("\"unet\"", "\"seed\"").Replace("\"presentation\"", "\"seed\"");
        var table = StudyTable.FromJson(saved);
        Assert.Equal(("presentation trained on gaussian-0.5", ModelCatalog.Presentation), (table.Rows[0].Method, table.Rows[0].Model));
        Assert.Equal("seed 3x3", table.Rows[1].Method);
        Assert.Equal(ModelCatalog.Presentation, table.Configuration.Model);
    }
}
