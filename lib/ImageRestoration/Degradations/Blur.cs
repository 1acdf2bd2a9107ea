using System.Globalization;
using ImageRestoration.Imaging;
using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>
/// Out-of-focus pictures: a Gaussian blur of standard deviation
/// <see cref="Sigma"/> pixels (window radius ⌈3σ⌉, replicated borders). It
/// draws nothing at random, so the generator is not used; the result stays in
/// [0,1] because the window's weights are positive and sum to one.
/// </summary>
internal sealed class Blur : Degradation
{
    public Blur(double sigma = 1.5)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The blur's standard deviation must be a positive number.");
        Sigma = sigma;
    }

    public double Sigma { get; }

    public override string Name => "blur-" + Sigma.ToString(CultureInfo.InvariantCulture);

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        using var scope = NewDisposeScope();
        return ImageFilters.GaussianBlur(clean, Sigma).clamp_(0, 1).MoveToOuterDisposeScope();
    }
}
