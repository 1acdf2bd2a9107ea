using System.ComponentModel;
using ImageRestoration.Degradations;

namespace ImageRestoration.Configuration;

/// <summary>Which degradation a denoising experiment applies, and how strongly.</summary>
public sealed record DegradationSettings
{
    [Description("gaussian, salt-and-pepper, mask (missing pixels), square-mask (a lost square: inpainting) or blur.")]
    public DegradationKind Kind { get; init; } = DegradationKind.Gaussian;

    [Description("Gaussian noise: standard deviation added (the presentation's noise_factor).")]
    public double NoiseFactor { get; init; } = 0.5;

    [Description("Salt-and-pepper or mask: fraction of pixels affected.")]
    public double Amount { get; init; } = 0.2;

    [Description("Gaussian noise: true clips into [0,1], false rescales each image into [0,1].")]
    public bool NoiseClip { get; init; } = true;

    [Description("Square mask: the lost square's side in pixels.")]
    public int SquareSize { get; init; } = 8;

    [Description("Blur: the Gaussian blur's standard deviation in pixels.")]
    public double BlurSigma { get; init; } = 1.5;

    public Degradation Create() => Kind switch
    {
        DegradationKind.Gaussian => new GaussianNoise(NoiseFactor, NoiseClip ? NoiseNormalisation.Clip : NoiseNormalisation.Rescale),
        DegradationKind.SaltAndPepper => new SaltAndPepper(Amount),
        DegradationKind.Mask => new RandomMask(Amount),
        DegradationKind.SquareMask => new SquareMask(SquareSize),
        DegradationKind.Blur => new Blur(BlurSigma),
        _ => throw new ConfigurationException($"degradation.kind = {Kind}: unknown degradation."),
    };

    internal void Validate(Action<bool, string, object?, string> check)
    {
        check(Enum.IsDefined(Kind), "degradation.kind", Kind, "must be gaussian, salt-and-pepper, mask, square-mask or blur");
        check(double.IsFinite(NoiseFactor) && NoiseFactor is >= 0 and <= 2, "degradation.noiseFactor", NoiseFactor, "must be between 0 and 2");
        check(double.IsFinite(Amount) && Amount is >= 0 and <= 1, "degradation.amount", Amount, "must be between 0 and 1");
        check(SquareSize is >= 1 and <= 28, "degradation.squareSize", SquareSize, "must be between 1 and 28 pixels");
        check(double.IsFinite(BlurSigma) && BlurSigma is > 0 and <= 5, "degradation.blurSigma", BlurSigma, "must be above 0 and at most 5 pixels");
    }
}

public enum DegradationKind
{
    Gaussian,
    SaltAndPepper,
    Mask,
    SquareMask,
    Blur,
}
