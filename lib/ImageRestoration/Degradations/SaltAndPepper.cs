using System.Globalization;
using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>Impulse noise: a fraction of pixels turns white (salt) or black (pepper), half each.</summary>
public sealed class SaltAndPepper : Degradation
{
    public SaltAndPepper(double amount = 0.2)
    {
        if (!double.IsFinite(amount) || amount is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The fraction of pixels must be in [0,1].");
        Amount = amount;
    }

    public double Amount { get; }

    public override string Name => "salt-and-pepper-" + Amount.ToString(CultureInfo.InvariantCulture);

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        using var scope = NewDisposeScope();
        var draw = rand(clean.shape, clean.dtype, generator: generator);
        var salt = draw < Amount / 2;
        var pepper = (draw >= Amount / 2) & (draw < Amount);
        return clean.masked_fill(salt, 1f).masked_fill_(pepper, 0f).MoveToOuterDisposeScope();
    }
}
