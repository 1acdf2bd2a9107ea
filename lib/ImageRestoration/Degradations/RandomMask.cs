using System.Globalization;
using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>Missing pixels: each pixel is lost (set to 0) with probability <see cref="Fraction"/>.</summary>
public sealed class RandomMask : Degradation
{
    public RandomMask(double fraction = 0.2)
    {
        if (!double.IsFinite(fraction) || fraction is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction of pixels must be in [0,1].");
        Fraction = fraction;
    }

    public double Fraction { get; }

    public override string Name => "mask-" + Fraction.ToString(CultureInfo.InvariantCulture);

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        using var lost = rand(clean.shape, clean.dtype, generator: generator) < Fraction;
        return clean.masked_fill(lost, 0f);
    }
}
