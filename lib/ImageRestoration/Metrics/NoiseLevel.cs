using static TorchSharp.torch;

namespace ImageRestoration.Metrics;

/// <summary>
/// Estimates the standard deviation of white Gaussian noise in a picture
/// without the clean picture (Donoho and Johnstone 1994): the finest diagonal
/// band of the Haar wavelet transform, HH = (a − b − c + d) / 2 over each 2x2
/// block, holds mostly noise, and its median absolute value divided by 0.6745
/// (the median of |N(0,1)|) is robust to the few edges that leak into it.
/// Two refinements keep the estimate within a few percent on textured and
/// saturated photographs: only the flattest half of the blocks count, judged
/// by the energy of the two other detail bands (LH and HL, which under
/// Gaussian noise are independent of HH, so the choice does not bias the noise
/// it measures), and blocks whose neighbourhood lies within two sigmas of
/// black or white are left out (clipping there shrinks the noise).
/// </summary>
public static class NoiseLevel
{
    /// <summary>The median of |N(0,1)|, which turns a median absolute deviation into a standard deviation.</summary>
    public const double MedianOfAbsoluteNormal = 0.6745;

    /// <summary>The estimated sigma (on the picture's own scale) of a C x H x W picture, over all its channels.</summary>
    public static double Estimate(Tensor picture)
    {
        if (picture.dim() != 3 || picture.shape[1] < 2 || picture.shape[2] < 2)
            throw new ArgumentException($"Expected a picture C x H x W of at least 2x2, got [{string.Join(", ", picture.shape)}].", nameof(picture));
        using var scope = NewDisposeScope();
        var (h, w) = (picture.shape[1] / 2 * 2, picture.shape[2] / 2 * 2);
        var x = picture.narrow(1, 0, h).narrow(2, 0, w).to(ScalarType.Float64);
        var blocks = x.unflatten(1, [h / 2, 2]).unflatten(3, [w / 2, 2]);
        var (a, b) = (blocks.select(2, 0).select(3, 0), blocks.select(2, 0).select(3, 1));
        var (c, d) = (blocks.select(2, 1).select(3, 0), blocks.select(2, 1).select(3, 1));
        var diagonal = (a - b - c + d) / 2;
        var overall = MedianSigma(diagonal);
        var energy = Neighbourhood(((a + b - c - d) / 2).square() + ((a - b + c - d) / 2).square());
        var mean = Neighbourhood((a + b + c + d) / 4);
        var unclipped = mean.gt(2 * overall).logical_and(mean.lt(1 - 2 * overall));
        var candidates = energy.masked_select(unclipped);
        // Too few usable blocks (a tiny or saturated picture): the plain estimate over every block.
        if (candidates.numel() < 64) return overall;
        var flat = unclipped.logical_and(energy.le(candidates.quantile(0.5)));
        return MedianSigma(diagonal.masked_select(flat));
    }

    private static double MedianSigma(Tensor band) => band.abs().flatten().median().item<double>() / MedianOfAbsoluteNormal;

    /// <summary>The mean over each block's 5x5 neighbourhood of blocks (fewer at the borders).</summary>
    private static Tensor Neighbourhood(Tensor band) =>
        nn.functional.avg_pool2d(band.unsqueeze(1), 5, 1, 2, count_include_pad: false).squeeze(1);
}
