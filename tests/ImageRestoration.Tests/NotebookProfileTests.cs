using ImageRestoration.Configuration;
using ImageRestoration.Notebooks;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

public sealed class NotebookProfileTests
{
    [Fact]
    public void FullIsThePresentationsRun()
    {
        var full = NotebookProfile.Named("full").Configuration();

        Assert.Equal(100, full.Epochs);
        Assert.Equal(0, full.TrainLimit); // all 60,000
        Assert.Equal(0, full.TestLimit);
        Assert.Equal(128, full.BatchSize);
        var changes = Numbers.Changes(new ExperimentConfiguration(), full);
        Assert.Equal(["logDirectory"], changes.Select(c => c.Key)); // nothing but where the runs go
    }

    [Fact]
    public void QuickIsAFewEpochsOnASubset()
    {
        var quick = NotebookProfile.Named("Quick").Configuration("mode=denoising");

        Assert.InRange(quick.Epochs, 1, 2);
        Assert.InRange(quick.TrainLimit, 1000, 30000);
        Assert.InRange(quick.TestLimit, 1000, 10000);
        Assert.Equal(TrainingMode.Denoising, quick.Mode);
        Assert.Equal(128, quick.BatchSize);
    }

    [Fact]
    public void ClassTrainsOnAllTheDataLongEnoughForCurves()
    {
        var lesson = NotebookProfile.Class.Configuration("mode=denoising");

        Assert.InRange(lesson.Epochs, 10, 20);
        Assert.Equal((0, 0), (lesson.TrainLimit, lesson.TestLimit)); // all 60,000 and 10,000
        Assert.Equal(128, lesson.BatchSize);
        Assert.False(lesson.EarlyStopping.Enabled);
        Assert.NotEqual(RunFolder.For(lesson).Path, RunFolder.For(NotebookProfile.Class.StudyConfiguration("mode=denoising")).Path);
    }

    [Fact]
    public void EachProfileSavesItsRunsInItsOwnIgnoredFolder()
    {
        var root = RepositoryRoot.Find()!;
        Assert.Equal(Path.Combine(root, "runs", "notebooks", "quick"), NotebookProfile.Quick.LogDirectory);
        Assert.Equal(Path.Combine(root, "runs", "notebooks", "full"), NotebookProfile.Full.LogDirectory);
        Assert.NotEqual(RunFolder.For(NotebookProfile.Quick.Configuration()).Path, RunFolder.For(NotebookProfile.Full.Configuration()).Path);
    }

    [Fact]
    public void TheEnvironmentVariableChoosesAndClassIsTheDefault()
    {
        var before = Environment.GetEnvironmentVariable(NotebookProfile.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(NotebookProfile.EnvironmentVariable, null);
            Assert.Same(NotebookProfile.Class, NotebookProfile.FromEnvironment());
            Environment.SetEnvironmentVariable(NotebookProfile.EnvironmentVariable, "full");
            Assert.Same(NotebookProfile.Full, NotebookProfile.FromEnvironment());
            Environment.SetEnvironmentVariable(NotebookProfile.EnvironmentVariable, "fast");
            var error = Assert.Throws<ConfigurationException>(() => NotebookProfile.FromEnvironment());
            Assert.Contains("IMAGE_RESTORATION_PROFILE = 'fast'", error.Message);
            Assert.Contains("class, quick, full", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NotebookProfile.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void OverridesFromTheEnvironmentComeAfterTheProfile()
    {
        var saved = Environment.GetEnvironmentVariable(NotebookProfile.OverridesVariable);
        try
        {
            Environment.SetEnvironmentVariable(NotebookProfile.OverridesVariable, "epochs=20; seed=7");
            var full = NotebookProfile.Full.Configuration("mode=denoising");
            Assert.Equal((20, 7L, TrainingMode.Denoising), (full.Epochs, full.Seed, full.Mode));

            Environment.SetEnvironmentVariable(NotebookProfile.OverridesVariable, "epochs=0");
            var error = Assert.Throws<ConfigurationException>(() => NotebookProfile.Full.Configuration());
            Assert.Contains("epochs = 0", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NotebookProfile.OverridesVariable, saved);
        }
    }
}
