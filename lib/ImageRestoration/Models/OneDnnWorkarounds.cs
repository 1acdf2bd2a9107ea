// Where the models' convolutions work around libtorch's CPU kernels (oneDNN):
// channels-last weights, for correct gradients, and the sub-pixel form of the
// presentation model's last layer, for speed. docs/numerical-trap.md tells the first story.

using TorchSharp.Modules;
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

/// <summary>
/// A 3x3 'same' convolution of a picture upsampled 2x by nearest neighbour,
/// computed on the picture before upsampling (the sub-pixel form of Shi et al.
/// 2016). Each pixel of an output 2x2 block sees a 3x3 neighbourhood of the
/// small picture, through its own sums of the kernel's taps; so one
/// convolution with four times the output channels, then a pixel shuffle,
/// gives the same values (to float rounding) from a quarter of the input and
/// without the upsampled copy. For the presentation model's last layer (16 channels to
/// 1 on 28x28) oneDNN's kernel is slow: measured at batch 128 on one thread,
/// upsampling and convolving took 5.2 ms, this form 1.65 ms.
/// </summary>
public static class SubPixelConvolution
{
    /// <summary>
    /// <c>convolution.forward(upsample.forward(input))</c>, for a 2x nearest-neighbour
    /// upsampling and a 3x3, stride 1, 'same' convolution: gradients flow to its
    /// weight and bias as through the original.
    /// </summary>
    public static Tensor UpsampleThenConvolve(Tensor input, Upsample upsample, Conv2d convolution)
    {
        if (upsample.mode != UpsampleMode.Nearest || !upsample.scale_factor.SequenceEqual([2.0, 2.0]))
            throw new ArgumentException("The sub-pixel form is for a 2x nearest-neighbour upsampling.", nameof(upsample));
        using var scope = NewDisposeScope();
        var weight = convolution.weight!;
        var (outputs, inputs) = (weight.shape[0], weight.shape[1]);
        if (weight.shape[2] != 3 || weight.shape[3] != 3)
            throw new ArgumentException($"The sub-pixel form is for 3x3 kernels, not {weight.shape[2]}x{weight.shape[3]}.", nameof(convolution));
        var taps = tensor(TapMap, [9, 36]).to(weight.dtype);
        // (outputs, inputs, 9 taps) x (9 taps, 4 phases x 3 x 3) -> (outputs x 4 phases, inputs, 3, 3), the order pixel_shuffle reads.
        var phases = weight.reshape(outputs, inputs, 9).matmul(taps)
            .reshape(outputs, inputs, 4, 3, 3).permute(0, 2, 1, 3, 4).reshape(outputs * 4, inputs, 3, 3);
        var bias = convolution.bias?.repeat_interleave(4L);
        var small = nn.functional.conv2d(input, ChannelsLastWeights.Of(phases), bias, padding: [1, 1]);
        return nn.functional.pixel_shuffle(small, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Which kernel tap reaches which phase's tap: output pixel (2i+py, 2j+px)
    /// of the upsampled picture's convolution reads, through tap (ky, kx), the
    /// small picture at (i + floor((py+ky)/2), j + floor((px+kx)/2)).
    /// </summary>
    private static readonly float[] TapMap = BuildTapMap();

    private static float[] BuildTapMap()
    {
        var map = new float[9 * 36];
        for (var py = 0; py < 2; py++)
        for (var px = 0; px < 2; px++)
        for (var ky = -1; ky <= 1; ky++)
        for (var kx = -1; kx <= 1; kx++)
        {
            var (dy, dx) = (FloorHalf(py + ky), FloorHalf(px + kx));
            map[((ky + 1) * 3 + kx + 1) * 36 + (py * 2 + px) * 9 + (dy + 1) * 3 + dx + 1] += 1;
        }
        return map;
    }

    private static int FloorHalf(int value) => (int)Math.Floor(value / 2.0);
}
