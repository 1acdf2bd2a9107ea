using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Imaging;
using static TorchSharp.torch;

namespace ImageRestoration.Baselines;

/// <summary>Gaussian blur of standard deviation <see cref="Sigma"/> pixels (window radius ⌈3σ⌉, replicated borders).</summary>
internal sealed class GaussianBlurFilter : Restorer
{
    public GaussianBlurFilter(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be positive.");
        Sigma = sigma;
    }

    public double Sigma { get; }
    public override string Name => "gaussian blur σ=" + Sigma.ToString(CultureInfo.InvariantCulture);
    public override RestorerKind Kind => RestorerKind.Baseline;
    public override Tensor Restore(Tensor degraded) => ImageFilters.GaussianBlur(degraded, Sigma);
}

/// <summary>Median of each pixel's <see cref="Size"/> x <see cref="Size"/> neighbourhood (replicated borders): the classical answer to impulse noise.</summary>
internal sealed class MedianFilter : Restorer
{
    public MedianFilter(int size)
    {
        if (size < 1 || size % 2 != 1) throw new ArgumentOutOfRangeException(nameof(size), size, "The median window needs an odd size.");
        Size = size;
    }

    public int Size { get; }
    public override string Name => $"median {Size}x{Size}";
    public override RestorerKind Kind => RestorerKind.Baseline;
    public override Tensor Restore(Tensor degraded) => ImageFilters.Median(degraded, Size);
}

/// <summary>The baselines every study scores, unless told otherwise.</summary>
internal static class BaselineCatalog
{
    /// <summary>
    /// Gaussian blur at σ = 0.5, 1 and 1.5 pixels, median 3x3 and 5x5, and
    /// total-variation denoising at weights 0.1, 0.2 and 0.4 (light to strong).
    /// </summary>
    public static IReadOnlyList<Restorer> Standard() =>
    [
        new GaussianBlurFilter(0.5), new GaussianBlurFilter(1.0), new GaussianBlurFilter(1.5),
        new MedianFilter(3), new MedianFilter(5),
        new TotalVariationDenoiser(0.1), new TotalVariationDenoiser(0.2), new TotalVariationDenoiser(0.4),
    ];
}
