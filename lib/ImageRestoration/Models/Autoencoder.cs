using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The presentation's convolutional autoencoder, layer for layer (NCHW):
/// 1x28x28 -> encoder -> 8x4x4 codes -> decoder -> 1x28x28, 4,385 parameters.
/// With a <see cref="Multiplier"/> above 1 every layer has that many times the
/// filters and nothing else changes, so a capacity study compares width alone:
/// 16m, 8m, 8m (code 8m x 4 x 4) | 8m, 8m, 16m, 1 filters; 16,833 parameters
/// at m = 2, 65,921 at m = 4 (the catalog's "wide").
/// </summary>
public sealed class Autoencoder : RestorationModel
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;
    // The decoder's own layers again, for forward; not registered a second time.
    private readonly Module<Tensor, Tensor>[] decoderUpToLastUpsampling;
    private readonly Conv2d lastConvolution;
    private readonly Module<Tensor, Tensor> lastActivation;

    public Autoencoder(int multiplier = 1) : base(nameof(Autoencoder))
    {
        if (multiplier < 1) throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The width multiplier must be at least 1.");
        Multiplier = multiplier;
        var (wide, narrow) = (16 * multiplier, 8 * multiplier);
        // Keras's MaxPooling2D(padding='same') pads only at the end, which is
        // PyTorch's ceil mode: 28 -> 14 -> 7 -> 4.
        encoder = Sequential(
            ("conv1", Conv2d(1, wide, 3, Padding.Same)), ("relu1", ReLU(inplace: true)), ("pool1", MaxPool2d(2, ceil_mode: true)),
            ("conv2", Conv2d(wide, narrow, 3, Padding.Same)), ("relu2", ReLU(inplace: true)), ("pool2", MaxPool2d(2, ceil_mode: true)),
            ("conv3", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu3", ReLU(inplace: true)), ("pool3", MaxPool2d(2, ceil_mode: true)));
        // The 'valid' convolution turns 16x16 into 14x14, so the last
        // upsampling lands back on 28x28.
        decoder = Sequential(
            ("conv4", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu4", ReLU(inplace: true)), ("up1", Upsample(scale_factor: [2.0, 2.0])),
            ("conv5", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu5", ReLU(inplace: true)), ("up2", Upsample(scale_factor: [2.0, 2.0])),
            ("conv6", Conv2d(narrow, wide, 3, Padding.Valid)), ("relu6", ReLU(inplace: true)), ("up3", Upsample(scale_factor: [2.0, 2.0])),
            ("conv7", Conv2d(wide, 1, 3, Padding.Same)), ("sigmoid", Sigmoid()));
        RegisterComponents();
        KerasInitialization.Apply(this);
        Encoder = new Encoder(encoder);
        var layers = decoder.children().Cast<Module<Tensor, Tensor>>().ToArray();
        decoderUpToLastUpsampling = layers[..^3];
        lastConvolution = (Conv2d)layers[^2];
        lastActivation = layers[^1];
    }

    /// <summary>How many times the seed's filters each layer has (1: the presentation's model).</summary>
    public int Multiplier { get; }

    /// <summary>The presentation's separate encoder model: the same layers, the same weights.</summary>
    public Encoder Encoder { get; }

    /// <summary>The encoder's layers then the decoder's, for summaries.</summary>
    public override IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Layers =>
        encoder.named_children().Concat(decoder.named_children())
            .Select(c => (c.name, (Module<Tensor, Tensor>)c.module));

    /// <summary>
    /// The layers in order, except that the last upsampling and convolution run
    /// as one <see cref="SubPixelConvolution"/>: the same values, a third of the time.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        var features = encoder.forward(input);
        foreach (var layer in decoderUpToLastUpsampling)
            features = layer.forward(features);
        return lastActivation.forward(SubPixelConvolution.UpsampleThenConvolve(features, lastConvolution));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            decoder.Dispose();
        }
        base.Dispose(disposing);
    }
}
