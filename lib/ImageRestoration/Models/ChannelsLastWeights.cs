using static TorchSharp.torch;

namespace ImageRestoration.Models;

/// <summary>
/// Works around wrong convolution input-gradients in libtorch 2.10's oneDNN
/// (3.7.1) on AVX-512 CPUs: its blocked 16-channel backward_data kernel
/// returns garbage (about 1e35 or NaN) for every convolution whose output
/// channel count is not a multiple of 16, so training hits NaN within a few
/// hundred steps. With channels-last (NHWC-strided) weights oneDNN takes
/// another path whose gradients match float64 to 5e-6, and which is also the
/// fastest measured. The forward pass is unaffected either way.
/// <para>
/// This is the rule's one home. Every <see cref="RestorationModel"/> applies it
/// when built, so a trainer or an optimizer only ever sees channels-last
/// weights; a weight computed in a forward pass (the sub-pixel form's) goes
/// through <see cref="Of"/>; files are read and written
/// <see cref="WhileContiguous"/> (a model's own, a checkpoint's).
/// </para>
/// </summary>
public static class ChannelsLastWeights
{
    /// <summary>
    /// Re-strides every 4-D parameter in place, keeping its values. Done by
    /// every model's constructor, after its initial weights are drawn (drawn
    /// in NCHW order, so seeded weights are the same as without the guard).
    /// </summary>
    public static void Apply(nn.Module model) => Restride(model.parameters());

    /// <summary>The same weight with channels-last strides, within the autograd graph (for weights computed in a forward pass).</summary>
    public static Tensor Of(Tensor weight) => weight.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>
    /// Runs <paramref name="write"/> with the given tensors re-strided to
    /// contiguous (TorchSharp serialises only contiguous tensors), then puts
    /// every 4-D one back to channels-last. The values never change.
    /// </summary>
    public static void WhileContiguous(IEnumerable<Tensor> tensors, Action write)
    {
        var all = tensors.ToList();
        using (no_grad())
            foreach (var tensor in all)
            {
                using var contiguous = tensor.contiguous();
                tensor.set_(contiguous);
            }
        try
        {
            write();
        }
        finally
        {
            Restride(all);
        }
    }

    private static void Restride(IEnumerable<Tensor> tensors)
    {
        using var _ = no_grad();
        foreach (var tensor in tensors)
        {
            if (tensor.dim() != 4) continue;
            using var nhwc = tensor.permute(0, 2, 3, 1).contiguous();
            // Explicit strides rather than permuting back: with one input channel the permuted
            // tensor is already "contiguous", so that would keep NCHW strides, libtorch would run
            // that convolution in NCHW and hand its output to the slow NCHW pooling kernel.
            using var strided = nhwc.as_strided(tensor.shape, ChannelsLastStrides(tensor.shape));
            tensor.set_(strided);
        }
    }

    /// <summary>True when every 4-D parameter has channels-last strides.</summary>
    public static bool IsApplied(nn.Module model) =>
        model.parameters().Where(p => p.dim() == 4).All(p => p.stride().SequenceEqual(ChannelsLastStrides(p.shape)));

    /// <summary>NHWC order for an N x C x H x W shape: channels vary fastest, then columns, rows and images.</summary>
    private static long[] ChannelsLastStrides(long[] shape)
    {
        var (c, h, w) = (shape[1], shape[2], shape[3]);
        return [h * w * c, 1, w * c, c];
    }
}
