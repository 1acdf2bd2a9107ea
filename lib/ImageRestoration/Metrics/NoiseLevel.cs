using static TorchSharp.torch;

namespace ImageRestoration.Metrics;

/// <summary>
/// Estimates the standard deviation of white Gaussian noise in a picture
/// without the clean picture (Donoho and Johnstone 1994): the finest diagonal
/// band of the Haar wavelet transform, HH = (a − b − c + d) / 2 over each 2x2
/// block, holds mostly noise (photographs are smooth at that scale), and its
/// median absolute value divided by 0.6745 (the median of |N(0,1)|) is robust
/// to the few edges that leak into it.
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
        var rows = x.unflatten(1, [h / 2, 2]);
        var blocks = rows.unflatten(3, [w / 2, 2]);
        var (a, b) = (blocks.select(2, 0).select(3, 0), blocks.select(2, 0).select(3, 1));
        var (c, d) = (blocks.select(2, 1).select(3, 0), blocks.select(2, 1).select(3, 1));
        var diagonal = (a - b - c + d) / 2;
        return diagonal.abs().flatten().median().item<double>() / MedianOfAbsoluteNormal;
    }
}
