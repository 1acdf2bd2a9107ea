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
/// </summary>
public sealed class NoiseResidualNetwork : RestorationModel
{
    private readonly Sequential features;
    private readonly Conv2d noise;

    public NoiseResidualNetwork(int depth = 8, int width = 32) : base(nameof(NoiseResidualNetwork))
    {
        if (depth < 2) throw new ArgumentOutOfRangeException(nameof(depth), depth, "At least two convolutions.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "At least one channel.");
        Depth = depth;
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("conv1", Conv2d(1, width, 3, Padding.Same)), ("relu1", ReLU()) };
        for (var i = 2; i < depth; i++)
        {
            layers.Add(($"conv{i}", Conv2d(width, width, 3, Padding.Same)));
            layers.Add(($"relu{i}", ReLU()));
        }
        features = Sequential(layers);
        noise = Conv2d(width, 1, 3, Padding.Same);
        RegisterComponents();
        InitializeWeights();
    }

    public int Depth { get; }

    /// <summary>How far (in pixels) an output pixel sees into its input: one per 3x3 convolution.</summary>
    public int ReceptiveRadius => Depth;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return (input - noise.forward(features.forward(input))).clamp_(0, 1).MoveToOuterDisposeScope();
    }
}
