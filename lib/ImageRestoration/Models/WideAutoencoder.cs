using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The seed's <see cref="Autoencoder"/> with every layer <see cref="Multiplier"/>
/// times wider and nothing else changed: the same convolutions, pools,
/// upsamplings, 'valid' layer and sigmoid, so a capacity study compares width
/// alone. Filters per layer: 16m, 8m, 8m (code 8m x 4 x 4) | 8m, 8m, 16m, 1.
/// Parameters: 4,385 at m = 1, 16,833 at m = 2, 65,921 at m = 4 (the catalog's "wide").
/// Keras initialisation (Glorot-uniform kernels, zero biases), as the seed.
/// </summary>
public sealed class WideAutoencoder : RestorationModel
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public WideAutoencoder(int multiplier = 4) : base(nameof(WideAutoencoder))
    {
        if (multiplier < 1) throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The width multiplier must be at least 1.");
        Multiplier = multiplier;
        var (wide, narrow) = (16 * multiplier, 8 * multiplier);
        encoder = Sequential(
            ("conv1", Conv2d(1, wide, 3, Padding.Same)), ("relu1", ReLU()), ("pool1", MaxPool2d(2, ceil_mode: true)),
            ("conv2", Conv2d(wide, narrow, 3, Padding.Same)), ("relu2", ReLU()), ("pool2", MaxPool2d(2, ceil_mode: true)),
            ("conv3", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu3", ReLU()), ("pool3", MaxPool2d(2, ceil_mode: true)));
        decoder = Sequential(
            ("conv4", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu4", ReLU()), ("up1", Upsample(scale_factor: [2.0, 2.0])),
            ("conv5", Conv2d(narrow, narrow, 3, Padding.Same)), ("relu5", ReLU()), ("up2", Upsample(scale_factor: [2.0, 2.0])),
            ("conv6", Conv2d(narrow, wide, 3, Padding.Valid)), ("relu6", ReLU()), ("up3", Upsample(scale_factor: [2.0, 2.0])),
            ("conv7", Conv2d(wide, 1, 3, Padding.Same)), ("sigmoid", Sigmoid()));
        RegisterComponents();
        KerasInitialization.Apply(this);
    }

    /// <summary>How many times the seed's filters each layer has.</summary>
    public int Multiplier { get; }

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
