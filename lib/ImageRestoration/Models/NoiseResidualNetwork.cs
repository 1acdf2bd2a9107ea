using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// A blind denoiser for photographs in the manner of DnCNN (Zhang, Zuo, Chen,
/// Meng and Zhang 2017): a plain stack of 3x3 convolutions with ReLU that
/// predicts the noise, which is then subtracted from the input (residual
/// learning: the noise is a simpler function to learn than the picture).
/// Fully convolutional, so it takes grey pictures of any size; colour
/// pictures are restored channel by channel. No batch normalisation, so a
/// tile of a picture gives exactly the pixels the whole picture gives
/// (<see cref="ReceptiveRadius"/>). The output is clipped into [0,1].
/// <code>
/// 1xHxW → conv(1→w) ReLU → (depth−2) x [conv(w→w) ReLU] → conv(w→1) = noise;  output = clip(input − noise)
/// </code>
/// With <c>scale</c> 2 the stack works at half resolution, as FFDNet does
/// (Zhang, Zuo and Zhang 2018): the picture (padded to even sides by
/// repeating its last row or column) is unshuffled into four half-size
/// channels (1xHxW → 4xH/2xW/2), the convolutions map them to the four
/// channels of the noise, which is shuffled back to full size and cropped.
/// Per full-size pixel that costs a quarter of the same stack at full size,
/// so the same work buys four times the filters or twice the reach.
/// </summary>
public sealed class NoiseResidualNetwork : RestorationModel
{
    private readonly Sequential features;
    private readonly Conv2d noise;

    public NoiseResidualNetwork(int depth = 8, int width = 32, int scale = 1) : base(nameof(NoiseResidualNetwork))
    {
        if (depth < 2) throw new ArgumentOutOfRangeException(nameof(depth), depth, "At least two convolutions.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "At least one channel.");
        if (scale is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Full (1) or half (2) resolution.");
        Depth = depth;
        Scale = scale;
        var channels = scale * scale;
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("conv1", Conv2d(channels, width, 3, Padding.Same)), ("relu1", ReLU()) };
        for (var i = 2; i < depth; i++)
        {
            layers.Add(($"conv{i}", Conv2d(width, width, 3, Padding.Same)));
            layers.Add(($"relu{i}", ReLU()));
        }
        features = Sequential(layers);
        noise = Conv2d(width, channels, 3, Padding.Same);
        RegisterComponents();
        InitializeWeights();
    }

    public int Depth { get; }

    /// <summary>1: the convolutions see the picture at full size; 2: at half size (unshuffled into four channels).</summary>
    public int Scale { get; }

    /// <summary>
    /// How far (in pixels) an output pixel sees into its input: one step per
    /// 3x3 convolution, of <see cref="Scale"/> pixels, and at half size one
    /// more for the pixel's place in its 2x2 block.
    /// </summary>
    public int ReceptiveRadius => Scale * Depth + Scale - 1;

    /// <summary>
    /// A tile must start on a multiple of this many pixels (rows and columns)
    /// to be cut into the same 2x2 blocks as the whole picture.
    /// </summary>
    public int Alignment => Scale;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return (input - Noise(input)).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    private Tensor Noise(Tensor input)
    {
        if (Scale == 1) return noise.call(features.call(input));
        var (height, width) = (input.shape[2], input.shape[3]);
        var (padBottom, padRight) = (height % 2, width % 2);
        var even = padBottom + padRight == 0 ? input : nn.functional.pad(input, [0, padRight, 0, padBottom], PaddingModes.Replicate);
        var small = nn.functional.pixel_unshuffle(even, 2);
        var full = nn.functional.pixel_shuffle(noise.call(features.call(small)), 2);
        return padBottom + padRight == 0 ? full : full.narrow(2, 0, height).narrow(3, 0, width);
    }
}
