using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// A small U-Net (Ronneberger, Fischer and Brox 2015), the skip design that
/// image-denoising work such as Noise2Noise (Lehtinen et al. 2018) builds on:
/// the seed's encoder/decoder shape (3x3 convolutions, max-pooling,
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
public sealed class UNet : RestorationModel
{
    // Held in a Sequential for registration and naming only: it is run by SkipConnection.RunInOrder.
    private readonly Sequential layers;

    public UNet(int channels = 16) : base(nameof(UNet))
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one channel.");
        Channels = channels;
        var (c, c2) = (channels, 2 * channels);
        var full = new SkipConnection();
        var half = new SkipConnection();
        layers = Sequential(
            ("conv1", Conv2d(1, c, 3, Padding.Same)), ("relu1", ReLU()),
            ("skip1", full.Start("skip1")), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(c, c2, 3, Padding.Same)), ("relu2", ReLU()),
            ("skip2", half.Start("skip2")), ("pool2", MaxPool2d(2)),
            ("conv3", Conv2d(c2, c2, 3, Padding.Same)), ("relu3", ReLU()),
            ("up1", Upsample(scale_factor: [2.0, 2.0])), ("concat2", half.End("concat2")),
            ("conv4", Conv2d(2 * c2, c2, 3, Padding.Same)), ("relu4", ReLU()),
            ("up2", Upsample(scale_factor: [2.0, 2.0])), ("concat1", full.End("concat1")),
            ("conv5", Conv2d(c2 + c, c, 3, Padding.Same)), ("relu5", ReLU()),
            ("conv6", Conv2d(c, 1, 3, Padding.Same)), ("sigmoid", Sigmoid()));
        RegisterComponents();
        KerasInitialization.Apply(this);
    }

    /// <summary>Filters at full resolution (twice that at the lower two).</summary>
    public int Channels { get; }

    public override IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Layers =>
        layers.named_children().Select(c => (c.name, (Module<Tensor, Tensor>)c.module));

    public override Tensor forward(Tensor input)
    {
        if (input.shape[^1] % 4 != 0 || input.shape[^2] % 4 != 0)
            throw new ArgumentException($"The U-Net halves the image twice: height and width must be multiples of 4, not {input.shape[^2]}x{input.shape[^1]}.");
        return SkipConnection.RunInOrder(layers.children().Cast<Module<Tensor, Tensor>>(), input);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
