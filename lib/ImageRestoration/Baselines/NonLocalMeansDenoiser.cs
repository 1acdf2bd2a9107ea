using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Baselines;

/// <summary>
/// Non-local means (Buades, Coll and Morel, CVPR 2005): each pixel becomes a
/// weighted mean of the pixels in a search window around it, each weighted by
/// how alike the patches around the two are: exp(−max(d − 2σ², 0) / h²), with
/// d the mean squared difference of the two patches, σ the noise level and
/// h = <see cref="Strength"/> σ (the form of scikit-image's denoise_nl_means,
/// which recommends h = 0.8σ; 2σ² is what d is for two patches of the same
/// content under the noise). σ is estimated from the pictures
/// (<see cref="NoiseLevel"/>), so the filter, like the photo denoiser, is told
/// nothing. Computed offset by offset over the whole batch, as the fast form
/// of Darbon et al. (2008) and scikit-image's fast mode do: one shifted copy,
/// one box mean of the squared difference and one weighted sum per offset.
/// Patches of 7x7 and a 21x21 search window, OpenCV's defaults; borders
/// replicated; each channel denoised on its own.
/// </summary>
internal sealed class NonLocalMeansDenoiser : Restorer
{
    public const int PatchRadius = 3;
    public const int SearchRadius = 10;
    private const int PatchSize = 2 * PatchRadius + 1;

    public NonLocalMeansDenoiser(double strength)
    {
        if (!double.IsFinite(strength) || strength <= 0)
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "The filtering strength h/σ must be positive.");
        Strength = strength;
    }

    /// <summary>h / σ: the larger, the more patches count as alike and the smoother the result.</summary>
    public double Strength { get; }

    /// <summary>The smallest σ assumed, so that a noise-free picture is left as it is instead of dividing by zero.</summary>
    private const double LeastSigma = 1e-3;

    public override string Name => $"non-local means h={Strength.ToString(CultureInfo.InvariantCulture)}σ";
    public override RestorerKind Kind => RestorerKind.Baseline;

    public override Tensor Restore(Tensor degraded)
    {
        if (degraded.dim() != 4) throw new ArgumentException("Expected a batch N x C x H x W.", nameof(degraded));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (degraded.shape[0], degraded.shape[1], degraded.shape[2], degraded.shape[3]);
        var images = degraded.reshape(n * c, 1, h, w);
        var sigma = Math.Max(NoiseLevel.Estimate(images.squeeze(1)), LeastSigma);
        const int border = SearchRadius + PatchRadius;
        var padded = nn.functional.pad(images, [border, border, border, border], PaddingModes.Replicate);
        // The picture with a patch's margin around it, against which every shifted copy is compared.
        var centre = Window(padded, 0, 0, h, w);
        var weighted = zeros_like(images);
        var weights = zeros_like(images);
        for (var dy = -SearchRadius; dy <= SearchRadius; dy++)
            for (var dx = -SearchRadius; dx <= SearchRadius; dx++)
                AddOffset(padded, centre, dy, dx, sigma, weighted, weights);
        return weighted.div_(weights).reshape(n, c, h, w).MoveToOuterDisposeScope();
    }

    private void AddOffset(Tensor padded, Tensor centre, int dy, int dx, double sigma, Tensor weighted, Tensor weights)
    {
        using var step = NewDisposeScope();
        var (h, w) = (weighted.shape[2], weighted.shape[3]);
        var shifted = Window(padded, dy, dx, h, w);
        // The patch mean as two 1-D means (rows, then columns): 14 additions a pixel instead of 49.
        var squared = (shifted - centre).pow_(2);
        var distance = nn.functional.avg_pool2d(nn.functional.avg_pool2d(squared, [1, PatchSize], stride: [1, 1]), [PatchSize, 1], stride: [1, 1]);
        var filtering = Strength * sigma;
        var weight = distance.sub_(2 * sigma * sigma).clamp_min_(0).div_(-filtering * filtering).exp_();
        weighted.addcmul_(weight, shifted.narrow(2, PatchRadius, h).narrow(3, PatchRadius, w), 1);
        weights.add_(weight);
        // About five native scalars per offset, 441 offsets per call: freed here so the heap can reuse its blocks.
        TorchRuntime.ReleaseUndisposedScalars();
    }

    /// <summary>The picture shifted by (dy, dx) with a patch's margin: (H + 2p) x (W + 2p) out of the padded batch.</summary>
    private static Tensor Window(Tensor padded, int dy, int dx, long h, long w) =>
        padded.narrow(2, SearchRadius + dy, h + 2 * PatchRadius).narrow(3, SearchRadius + dx, w + 2 * PatchRadius);
}
