using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>
/// How a picture gets degraded. Every random draw comes from the generator
/// passed in, so the same seed gives the same degraded pictures. The result
/// stays in [0,1], like the clean images.
/// </summary>
public abstract class Degradation
{
    /// <summary>A short name for titles and run names, such as <c>gaussian-0.5</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Returns a degraded copy of a batch of clean images (N x C x H x W in [0,1]).</summary>
    public abstract Tensor Apply(Tensor clean, Generator generator);

    /// <summary>
    /// Degrades a set of images once, with a generator of its own seeded by
    /// <paramref name="seed"/>: the same seed gives the same degraded set
    /// whatever was drawn before (validation and evaluation inputs).
    /// </summary>
    public Tensor ApplyOnce(Tensor clean, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return Apply(clean, generator);
    }

    public override string ToString() => Name;
}
