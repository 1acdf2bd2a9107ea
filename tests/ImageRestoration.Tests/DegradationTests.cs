using ImageRestoration.Degradations;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

public sealed class DegradationTests
{
    public DegradationTests() => TorchRuntime.Initialize();

    private static Tensor Grey(float value = 0.5f) => full([64, 1, 28, 28], value);

    [Fact]
    public void GaussianNoiseHasTheFactorAsStandardDeviation()
    {
        using var clean = Grey();
        using var generator = new Generator(1);
        // 0.1 keeps 0.5 +- 5 sigma inside [0,1], so clipping does not bend the statistics.
        using var noisy = new GaussianNoise(0.1).Apply(clean, generator);
        using var noise = noisy - clean;

        Assert.InRange(noise.mean().item<float>(), -0.002, 0.002);
        Assert.InRange(noise.std().item<float>(), 0.098, 0.102);
    }

    [Fact]
    public void GaussianNoiseIsClippedIntoUnitRange()
    {
        using var clean = Grey(0.9f);
        using var generator = new Generator(2);
        using var noisy = new GaussianNoise(0.5).Apply(clean, generator);

        Assert.Equal(0f, noisy.min().item<float>());
        Assert.Equal(1f, noisy.max().item<float>());
        // P(0.9 + 0.5 z > 1) = P(z > 0.2) = 0.4207.
        Assert.InRange((noisy == 1f).to(ScalarType.Float32).mean().item<float>(), 0.41, 0.43);
    }

    [Fact]
    public void RescaledNoiseSpansExactlyZeroToOnePerImage()
    {
        using var clean = Grey();
        using var generator = new Generator(3);
        using var noisy = new GaussianNoise(0.5, NoiseNormalisation.Rescale).Apply(clean, generator);
        using var flat = noisy.flatten(1);

        Assert.Equal(0f, flat.amin([1]).max().item<float>(), 1e-6f);
        Assert.Equal(1f, flat.amax([1]).min().item<float>(), 1e-6f);
    }

    [Fact]
    public void SameSeedGivesTheSameNoiseAndAnotherSeedDoesNot()
    {
        using var clean = Grey();
        using var a = new Generator(42);
        using var b = new Generator(42);
        using var c = new Generator(43);
        var noise = new GaussianNoise();

        using var first = noise.Apply(clean, a);
        using var second = noise.Apply(clean, b);
        using var third = noise.Apply(clean, c);

        Assert.True(first.eq(second).all().item<bool>());
        Assert.False(first.eq(third).all().item<bool>());
    }

    [Fact]
    public void SaltAndPepperTurnsHalfTheAffectedPixelsWhiteAndHalfBlack()
    {
        using var clean = Grey();
        using var generator = new Generator(4);
        using var noisy = new SaltAndPepper(0.2).Apply(clean, generator);

        Assert.InRange((noisy == 1f).to(ScalarType.Float32).mean().item<float>(), 0.095, 0.105);
        Assert.InRange((noisy == 0f).to(ScalarType.Float32).mean().item<float>(), 0.095, 0.105);
        Assert.InRange((noisy == 0.5f).to(ScalarType.Float32).mean().item<float>(), 0.795, 0.805);
    }

    [Fact]
    public void RandomMaskLosesTheFractionOfPixels()
    {
        using var clean = Grey();
        using var generator = new Generator(5);
        using var masked = new RandomMask(0.3).Apply(clean, generator);

        Assert.InRange((masked == 0f).to(ScalarType.Float32).mean().item<float>(), 0.295, 0.305);
        Assert.Equal(0.5f, masked.max().item<float>());
    }

    [Fact]
    public void DegradationLeavesTheCleanBatchUntouched()
    {
        using var clean = Grey();
        using var generator = new Generator(6);
        foreach (var degradation in new Degradation[] { new GaussianNoise(), new SaltAndPepper(), new RandomMask() })
            using (degradation.Apply(clean, generator))
                Assert.Equal(0.5f, clean.max().item<float>());
        Assert.Equal(0.5f, clean.min().item<float>());
    }

    [Fact]
    public void InvalidStrengthsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianNoise(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianNoise(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SaltAndPepper(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomMask(-1));
    }
}
