using System.Globalization;
using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>
/// Gaussian noise of a level drawn anew for every picture, uniformly between
/// <see cref="Low"/> and <see cref="High"/> (standard deviations on the [0,1]
/// scale), then clipped into [0,1] as a saved photograph is: one model
/// trained on it serves every noise level in the range without being told
/// which (a blind denoiser).
/// </summary>
internal sealed class BlindGaussianNoise : Degradation
{
    public BlindGaussianNoise(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low < 0 || high < low)
            throw new ArgumentOutOfRangeException(nameof(high), $"The noise range [{low}, {high}] needs 0 <= low <= high.");
        Low = low;
        High = high;
    }

    public double Low { get; }
    public double High { get; }

    public override string Name => string.Create(CultureInfo.InvariantCulture, $"gaussian-blind-{Low * 255:0.#}-{High * 255:0.#}");

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        using var scope = NewDisposeScope();
        var sigma = rand([clean.shape[0], 1, 1, 1], clean.dtype, generator: generator).mul_(High - Low).add_(Low);
        var noisy = clean + sigma * randn(clean.shape, clean.dtype, generator: generator);
        return noisy.clamp_(0, 1).MoveToOuterDisposeScope();
    }
}
