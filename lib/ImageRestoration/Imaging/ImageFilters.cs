using TorchSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Imaging;

/// <summary>How a filter treats the pixels near the border.</summary>
internal enum FilterBorder
{
    /// <summary>Only positions where the whole window lies inside the image: the output shrinks by the window size minus one.</summary>
    Valid,

    /// <summary>The edge pixels are repeated outwards, so the output keeps the input's size and a constant image stays constant.</summary>
    Replicate,
}

/// <summary>
/// Image filters on batches (N x C x H x W), each channel of each image
/// filtered on its own, with TorchSharp ops: the Gaussian window shared by
/// SSIM, the blur baseline and the blur degradation, and the median filter.
/// </summary>
internal static class ImageFilters
{
    /// <summary>
    /// The normalised 1-D Gaussian of <paramref name="sigma"/> sampled at
    /// -radius..radius (weights exp(-k²/2σ²) divided by their sum), as
    /// MATLAB's fspecial('gaussian') along one axis. The 2-D window is its
    /// outer product with itself and sums to one too.
    /// </summary>
    public static double[] GaussianKernel(double sigma, int radius)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The Gaussian's standard deviation must be positive.");
        if (radius < 0) throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be 0 or positive.");
        var weights = Enumerable.Range(-radius, 2 * radius + 1).Select(k => Math.Exp(-k * k / (2 * sigma * sigma))).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }

    /// <summary>The blur's default half-width: three standard deviations, rounded up (at least one pixel).</summary>
    public static int BlurRadius(double sigma) => Math.Max(1, (int)Math.Ceiling(3 * sigma));

    /// <summary>
    /// Filters every channel with the separable window kernel ⊗ kernel
    /// (rows, then columns), in the images' own dtype.
    /// </summary>
    public static Tensor Separable(Tensor images, double[] kernel, FilterBorder border)
    {
        CheckBatch(images);
        if (kernel.Length % 2 != 1) throw new ArgumentException("The kernel needs an odd number of taps.", nameof(kernel));
        using var scope = NewDisposeScope();
        var (h, w) = (images.shape[2], images.shape[3]);
        var radius = kernel.Length / 2;
        var x = images;
        if (border == FilterBorder.Replicate)
            x = nn.functional.pad(x, [radius, radius, radius, radius], PaddingModes.Replicate);
        else if (h < kernel.Length || w < kernel.Length)
            throw new ArgumentException($"A {kernel.Length}x{kernel.Length} window needs images of at least that size, not {h}x{w}.", nameof(images));
        return WeightedShifts(WeightedShifts(x, kernel, dim: 3), kernel, dim: 2).MoveToOuterDisposeScope();
    }

    // The 1-D 'valid' correlation along one axis as a sum of shifted copies,
    // Σ_k kernel[k] x[k .. k + n - taps]. libtorch's float64 conv2d takes a
    // slow path, and SSIM filters in float64 (docs/results.md: 1,000 digits x
    // 5 statistics, 1.5-1.9 s as two conv2d calls, 0.20-0.27 s this way).
    private static Tensor WeightedShifts(Tensor x, double[] kernel, int dim)
    {
        var length = x.shape[dim] - kernel.Length + 1;
        var sum = x.narrow(dim, 0, length) * kernel[0];
        for (var k = 1; k < kernel.Length; k++)
            sum.add_(x.narrow(dim, k, length), alpha: kernel[k]);
        return sum;
    }

    /// <summary>Gaussian blur of standard deviation <paramref name="sigma"/> pixels, window radius ⌈3σ⌉, replicated borders: same size out.</summary>
    public static Tensor GaussianBlur(Tensor images, double sigma) =>
        Separable(images, GaussianKernel(sigma, BlurRadius(sigma)), FilterBorder.Replicate);

    /// <summary>
    /// The median of each pixel's <paramref name="size"/> x <paramref name="size"/>
    /// neighbourhood (size odd), borders replicated: same size out.
    /// </summary>
    public static Tensor Median(Tensor images, int size)
    {
        CheckBatch(images);
        if (size < 1 || size % 2 != 1) throw new ArgumentOutOfRangeException(nameof(size), size, "The median window needs an odd size.");
        using var scope = NewDisposeScope();
        var radius = size / 2;
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var padded = nn.functional.pad(images, [radius, radius, radius, radius], PaddingModes.Replicate);
        // N x C x H x W x size x size: every pixel's window.
        var windows = padded.unfold(2, size, 1).unfold(3, size, 1).reshape(n, c, h, w, size * size);
        var (median, _) = windows.kthvalue(size * size / 2 + 1, dim: -1);
        return median.MoveToOuterDisposeScope();
    }

    private static void CheckBatch(Tensor images)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"Expected a batch N x C x H x W, got shape [{string.Join(", ", images.shape)}].", nameof(images));
    }
}
