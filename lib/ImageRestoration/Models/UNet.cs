using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// A small U-Net (Ronneberger, Fischer and Brox 2015), the skip design that
/// image-denoising work such as Noise2Noise (Lehtinen et al. 2018) builds on:
/// the presentation model's encoder/decoder shape (3x3 convolutions, max-pooling,
/// nearest-neighbour upsampling, a sigmoid output in [0,1] for the binary
/// cross-entropy), but each decoder level also receives the encoder's
/// feature maps of the same resolution through a skip connection, so fine
/// detail no longer has to squeeze through the bottleneck.
/// <code>
/// 1x28x28 → conv(1→c)  → skip₁ → pool → c x14x14 → conv(c→2c) → skip₂ → pool → 2c x 7x7
///         → conv(2c→2c) → up → concat skip₂ (4c x14x14) → conv(4c→2c)
///         → up → concat skip₁ (3c x28x28) → conv(3c→c) → conv(c→1) → sigmoid
/// </code>
/// Every convolution 3x3 'same' with ReLU (except the last). With c = 16 (the catalog's "unet"):
/// 39,585 parameters; with c = 8 ("unet-small") 10,001. Keras initialisation (Glorot-uniform, zero biases).
/// </summary>
internal sealed class UNet : RestorationModel
{
    private readonly Conv2d conv1;
    private readonly ReLU relu1;
    private readonly MaxPool2d pool1;
    private readonly Conv2d conv2;
    private readonly ReLU relu2;
    private readonly MaxPool2d pool2;
    private readonly Conv2d conv3;
    private readonly ReLU relu3;
    private readonly Upsample up1;
    private readonly Conv2d conv4;
    private readonly ReLU relu4;
    private readonly Upsample up2;
    private readonly Conv2d conv5;
    private readonly ReLU relu5;
    private readonly Conv2d conv6;
    private readonly Sigmoid sigmoid;

    public UNet(int channels = 16) : base(nameof(UNet))
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one channel.");
        Channels = channels;
        var (c, c2) = (channels, 2 * channels);
        conv1 = Conv2d(1, c, 3, Padding.Same);
        relu1 = ReLU();
        pool1 = MaxPool2d(2);
        conv2 = Conv2d(c, c2, 3, Padding.Same);
        relu2 = ReLU();
        pool2 = MaxPool2d(2);
        conv3 = Conv2d(c2, c2, 3, Padding.Same);
        relu3 = ReLU();
        up1 = Upsample(scale_factor: [2.0, 2.0]);
        conv4 = Conv2d(c2 + c2, c2, 3, Padding.Same);
        relu4 = ReLU();
        up2 = Upsample(scale_factor: [2.0, 2.0]);
        conv5 = Conv2d(c2 + c, c, 3, Padding.Same);
        relu5 = ReLU();
        conv6 = Conv2d(c, 1, 3, Padding.Same);
        sigmoid = Sigmoid();
        RegisterComponents();
        InitializeWeights();
    }

    /// <summary>Filters at full resolution (twice that at the lower two).</summary>
    public int Channels { get; }

    public override Tensor forward(Tensor input)
    {
        if (input.shape[^1] % 4 != 0 || input.shape[^2] % 4 != 0)
            throw new ArgumentException($"The U-Net halves the image twice: height and width must be multiples of 4, not {input.shape[^2]}x{input.shape[^1]}.");
        var full = relu1.call(conv1.call(input));                  //  c x 28 x 28: skip 1
        var half = relu2.call(conv2.call(pool1.call(full)));       // 2c x 14 x 14: skip 2
        var x = relu3.call(conv3.call(pool2.call(half)));          // 2c x  7 x  7
        x = relu4.call(conv4.call(cat([up1.call(x), half], 1)));   // 2c x 14 x 14
        x = relu5.call(conv5.call(cat([up2.call(x), full], 1)));   //  c x 28 x 28
        return sigmoid.call(conv6.call(x));
    }

    /// <summary>
    /// The saved names put every layer under <c>layers.</c> (<c>layers.conv1.weight</c>, ...),
    /// as they were when the layers ran as one sequence: kept so that saved models and checkpoints still load.
    /// </summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        base.state_dict(destination, string.IsNullOrEmpty(prefix) ? SavedPrefix : $"{prefix}.{SavedPrefix}");

    private const string SavedPrefix = "layers";
}
