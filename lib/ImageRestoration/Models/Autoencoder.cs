using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The presentation's convolutional autoencoder, layer for layer (NCHW):
/// 1x28x28 -> encoder -> 8x4x4 codes -> decoder -> 1x28x28, 4,385 parameters.
/// </summary>
public sealed class Autoencoder : RestorationModel
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public Autoencoder() : base(nameof(Autoencoder))
    {
        // Keras's MaxPooling2D(padding='same') pads only at the end, which is
        // PyTorch's ceil mode: 28 -> 14 -> 7 -> 4.
        encoder = Sequential(
            ("conv1", Conv2d(1, 16, 3, Padding.Same)), ("relu1", ReLU()), ("pool1", MaxPool2d(2, ceil_mode: true)),
            ("conv2", Conv2d(16, 8, 3, Padding.Same)), ("relu2", ReLU()), ("pool2", MaxPool2d(2, ceil_mode: true)),
            ("conv3", Conv2d(8, 8, 3, Padding.Same)), ("relu3", ReLU()), ("pool3", MaxPool2d(2, ceil_mode: true)));
        // The 'valid' convolution turns 16x16 into 14x14, so the last
        // upsampling lands back on 28x28.
        decoder = Sequential(
            ("conv4", Conv2d(8, 8, 3, Padding.Same)), ("relu4", ReLU()), ("up1", Upsample(scale_factor: [2.0, 2.0])),
            ("conv5", Conv2d(8, 8, 3, Padding.Same)), ("relu5", ReLU()), ("up2", Upsample(scale_factor: [2.0, 2.0])),
            ("conv6", Conv2d(8, 16, 3, Padding.Valid)), ("relu6", ReLU()), ("up3", Upsample(scale_factor: [2.0, 2.0])),
            ("conv7", Conv2d(16, 1, 3, Padding.Same)), ("sigmoid", Sigmoid()));
        RegisterComponents();
        KerasInitialization.Apply(this);
        Encoder = new Encoder(encoder);
    }

    /// <summary>The presentation's separate encoder model: the same layers, the same weights.</summary>
    public Encoder Encoder { get; }

    /// <summary>The encoder's layers then the decoder's, for summaries.</summary>
    public override IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Layers =>
        encoder.named_children().Concat(decoder.named_children())
            .Select(c => (c.name, (Module<Tensor, Tensor>)c.module));

    public override Tensor forward(Tensor input) => decoder.forward(encoder.forward(input));

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
