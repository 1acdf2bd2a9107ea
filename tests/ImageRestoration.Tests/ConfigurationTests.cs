using ImageRestoration.Configuration;
using ImageRestoration.Degradations;

namespace ImageRestoration.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void DefaultsAreThePresentations()
    {
        var c = new ExperimentConfiguration();
        Assert.Equal((28, 28, 1), (c.ImageHeight, c.ImageWidth, c.Channels));
        Assert.Equal(128, c.BatchSize);
        Assert.Equal(100, c.Epochs);
        Assert.Equal(1, c.Verbosity);
        Assert.Equal(10, c.PicturesShown);
        Assert.Equal(1e-3, c.LearningRate);
        Assert.Equal(1e-7, c.AdamEpsilon);
        Assert.Equal(0.5, c.Degradation.NoiseFactor);
        Assert.IsType<GaussianNoise>(c.Degradation.Create());
    }

    [Fact]
    public void JsonRoundTripKeepsEveryValue()
    {
        var c = new ExperimentConfiguration().With("epochs=7", "degradation.kind=salt-and-pepper", "degradation.amount=0.3", "dataDirectory=/data", "mode=denoising");
        var path = temp.File("c.json");
        c.Save(path);

        var loaded = ExperimentConfiguration.Load(path);

        Assert.Equal(c.ToJson(), loaded.ToJson());
        Assert.Contains("\"salt-and-pepper\"", File.ReadAllText(path));
        Assert.Equal(TrainingMode.Denoising, loaded.Mode);
    }

    [Fact]
    public void OverridesByDottedKeyAnyCase()
    {
        var c = new ExperimentConfiguration().With("epochs=5", "Degradation.NoiseFactor=0.3", "degradation.noiseClip=false", "learningRate=2e-3", "seed=7");
        Assert.Equal(5, c.Epochs);
        Assert.Equal(0.3, c.Degradation.NoiseFactor);
        Assert.False(c.Degradation.NoiseClip);
        Assert.Equal(2e-3, c.LearningRate);
        Assert.Equal(7, c.Seed);
    }

    [Theory]
    [InlineData("batchSize=0", "batchSize = 0")]
    [InlineData("batchSize=-4", "batchSize = -4")]
    [InlineData("epochs=0", "epochs = 0")]
    [InlineData("degradation.noiseFactor=5", "degradation.noiseFactor = 5")]
    [InlineData("degradation.amount=1.5", "degradation.amount = 1.5")]
    [InlineData("verbosity=3", "verbosity = 3")]
    [InlineData("learningRate=0", "learningRate = 0")]
    [InlineData("imageWidth=32", "imageWidth = 32")]
    public void InvalidValuesNameTheKeyAndTheValue(string assignment, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => new ExperimentConfiguration().With(assignment));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("epochs=abc", "epochs = 'abc': not a valid whole number")]
    [InlineData("degradation.kind=fog", "degradation.kind = 'fog'")]
    [InlineData("degradation.noiseClip=maybe", "degradation.noiseClip = 'maybe'")]
    [InlineData("epoch=5", "Unknown configuration key 'epoch'")]
    [InlineData("noise=5", "Unknown configuration key 'noise'")]
    [InlineData("noise.std=0.3", "Unknown configuration key 'noise.std'")]
    [InlineData("epochs5", "not of the form key=value")]
    public void BadOverridesAreNamed(string assignment, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => new ExperimentConfiguration().With(assignment));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void UnknownJsonKeyIsNamedWithTheFile()
    {
        var path = temp.File("bad.json");
        File.WriteAllText(path, """{ "epochs": 5, "degradation": { "std": 0.3 } }""");

        var error = Assert.Throws<ConfigurationException>(() => ExperimentConfiguration.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("std", error.Message);
    }

    [Fact]
    public void MalformedJsonIsNamedWithTheFile()
    {
        var path = temp.File("broken.json");
        File.WriteAllText(path, """{ "epochs": 5, """);

        var error = Assert.Throws<ConfigurationException>(() => ExperimentConfiguration.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void InvalidJsonValueIsValidatedLikeAnOverride()
    {
        var error = Assert.Throws<ConfigurationException>(() => ExperimentConfiguration.FromJson("""{ "batchSize": 0, "epochs": -1 }""", "x.json"));

        Assert.Contains("x.json", error.Message);
        Assert.Contains("batchSize = 0", error.Message);
        Assert.Contains("epochs = -1", error.Message);
    }

    [Fact]
    public void WrongJsonTypeNamesTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ExperimentConfiguration.FromJson("""{ "epochs": "many" }""", "x.json"));
        Assert.Contains("epochs", error.Message);
    }

    [Fact]
    public void KeysListEveryValueWithItsDefault()
    {
        var keys = new ExperimentConfiguration().Keys().ToDictionary(k => k.Name);
        Assert.Equal("128", keys["batchSize"].Value);
        Assert.Equal("0.5", keys["degradation.noiseFactor"].Value);
        Assert.Equal("gaussian", keys["degradation.kind"].Value);
        Assert.All(keys.Values, k => Assert.False(string.IsNullOrEmpty(k.Description), k.Name));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var error = Assert.Throws<ConfigurationException>(() => ExperimentConfiguration.Load(temp.File("none.json")));
        Assert.Contains("none.json", error.Message);
    }

    [Fact]
    public void SameExperimentIgnoresOnlyDisplayPaceAndPlace()
    {
        var a = new ExperimentConfiguration().With("epochs=20");
        Assert.True(a.IsSameExperimentAs(a.With("verbosity=2", "threads=1", "picturesShown=5", "logDirectory=/elsewhere")));
        Assert.False(a.IsSameExperimentAs(a.With("epochs=21")));
        Assert.False(a.IsSameExperimentAs(a.With("degradation.noiseFactor=0.3")));
        Assert.False(a.IsSameExperimentAs(a.With("dataDirectory=/usr/share/datasets/fashion-mnist")));
    }
}
