using System.Globalization;
using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>How noisy values are brought back into [0,1].</summary>
public enum NoiseNormalisation
{
    /// <summary>Values below 0 become 0 and above 1 become 1 (the presentation's choice).</summary>
    Clip,

    /// <summary>Each image is rescaled linearly so that its minimum is 0 and its maximum 1.</summary>
    Rescale,
}

/// <summary>The presentation's noise: x + factor * N(0,1), then back into [0,1].</summary>
public sealed class GaussianNoise : Degradation
{
    public GaussianNoise(double factor = 0.5, NoiseNormalisation normalisation = NoiseNormalisation.Clip)
    {
        if (!double.IsFinite(factor) || factor < 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The noise factor must be a finite number >= 0.");
        Factor = factor;
        Normalisation = normalisation;
    }

    public double Factor { get; }
    public NoiseNormalisation Normalisation { get; }

    public override string Name => "gaussian-" + Factor.ToString(CultureInfo.InvariantCulture) +
                                   (Normalisation == NoiseNormalisation.Rescale ? "-rescaled" : "");

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        using var scope = NewDisposeScope();
        var noisy = clean + Factor * randn(clean.shape, clean.dtype, generator: generator);
        if (Normalisation == NoiseNormalisation.Clip) return noisy.clamp_(0, 1).MoveToOuterDisposeScope();
        var flat = noisy.flatten(1);
        var low = flat.amin([1], keepdim: true);
        var range = (flat.amax([1], keepdim: true) - low).clamp_min_(1e-12);
        return ((flat - low) / range).view(clean.shape).MoveToOuterDisposeScope();
    }
}
