using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>The square mask (inpainting) and the blur, and their configuration keys.</summary>
public sealed class MoreDegradationTests
{
    public MoreDegradationTests() => TorchRuntime.Initialize();

    [Fact]
    public void SquareMaskLosesExactlyOneSquarePerImageAndNothingElse()
    {
        using var clean = full([200, 1, 28, 28], 0.5f);
        using var generator = new Generator(7);
        using var masked = new SquareMask(8).Apply(clean, generator);

        using var lost = (masked == 0f).to(ScalarType.Float32);
        using var perImage = lost.flatten(1).sum([1]);
        Assert.True((perImage == 64f).all().item<bool>(), "each image loses 8x8 = 64 pixels");
        Assert.True(((masked == 0f) | (masked == 0.5f)).all().item<bool>(), "the other pixels are untouched");
        // The lost pixels form a square: 8 rows of 8.
        using var rows = lost.sum([3]);
        Assert.True(((rows == 0f) | (rows == 8f)).all().item<bool>());
        using var rowCount = (rows == 8f).to(ScalarType.Float32).flatten(1).sum([1]);
        Assert.True((rowCount == 8f).all().item<bool>());
    }

    [Fact]
    public void SquareMaskPositionsAreDrawnFromTheGeneratorAndCoverTheImage()
    {
        using var clean = ones(500, 1, 28, 28);
        using var a = new Generator(11);
        using var b = new Generator(11);
        var square = new SquareMask(10);

        using var first = square.Apply(clean, a);
        using var second = square.Apply(clean, b);
        using var third = square.Apply(clean, a);

        Assert.True(first.equal(second).all().item<bool>());
        Assert.False(first.equal(third).all().item<bool>());
        // Top-left corners are drawn from 0..18 in each direction, so over 500 images the squares
        // reach every row and every column, the first and last included, and never spill outside.
        using var lost = first == 0f;
        using var rowEverLost = lost.any(0).any(-1).flatten();
        using var columnEverLost = lost.any(0).any(-2).flatten();
        Assert.True(rowEverLost.all().item<bool>() && columnEverLost.all().item<bool>());
        using var perImage = lost.to(ScalarType.Float32).flatten(1).sum([1]);
        Assert.True((perImage == 100f).all().item<bool>());
    }

    [Fact]
    public void BlurKeepsAConstantAndTheUnitRangeAndIsDeterministic()
    {
        using var grey = full([2, 1, 28, 28], 0.4f);
        using var generator = new Generator(1);
        var blur = new Blur(1.5);
        using var blurredGrey = blur.Apply(grey, generator);
        Assert.True((blurredGrey - 0.4f).abs().max().item<float>() < 1e-6f);

        using var random = rand(3, 1, 28, 28);
        using var once = blur.Apply(random, generator);
        using var twice = blur.Apply(random, generator);
        Assert.True(once.equal(twice).all().item<bool>());
        Assert.True(once.min().item<float>() >= 0f && once.max().item<float>() <= 1f);
        // Blurring smooths: the neighbouring-pixel differences shrink.
        Assert.True(once.diff(dim: 3).abs().mean().item<float>() < 0.5f * random.diff(dim: 3).abs().mean().item<float>());
        Assert.Equal("blur-1.5", blur.Name);
    }

    [Fact]
    public void ConfigurationSelectsTheNewKinds()
    {
        var square = new ExperimentConfiguration().With("degradation.kind=square-mask", "degradation.squareSize=12").Degradation.Create();
        var blur = new ExperimentConfiguration().With("degradation.kind=blur", "degradation.blurSigma=0.8").Degradation.Create();

        Assert.Equal(12, Assert.IsType<SquareMask>(square).Size);
        Assert.Equal(0.8, Assert.IsType<Blur>(blur).Sigma);
        Assert.Equal("square-mask-12", square.Name);
        Assert.Equal(8, new ExperimentConfiguration().Degradation.SquareSize);
        Assert.Equal(1.5, new ExperimentConfiguration().Degradation.BlurSigma);
    }

    [Theory]
    [InlineData("degradation.squareSize=0", "degradation.squareSize = 0")]
    [InlineData("degradation.squareSize=29", "degradation.squareSize = 29")]
    [InlineData("degradation.blurSigma=0", "degradation.blurSigma = 0")]
    [InlineData("degradation.blurSigma=7.5", "degradation.blurSigma = 7.5")]
    [InlineData("degradation.blurSigma=NaN", "degradation.blurSigma = 'NaN': not a valid number")]
    public void InvalidStrengthsNameTheKeyAndTheValue(string assignment, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => new ExperimentConfiguration().With(assignment));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void InvalidConstructorArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SquareMask(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Blur(-1));
        Assert.Throws<ArgumentException>(() => new SquareMask(30).Apply(zeros(1, 1, 28, 28), new Generator(1)));
    }
}
