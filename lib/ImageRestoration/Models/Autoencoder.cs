using static TorchSharp.torch;

namespace ImageRestoration.Models;

/// <summary>
/// The presentation's convolutional autoencoder, layer for layer (NCHW):
/// 1x28x28 -> <see cref="Models.Encoder"/> -> 8x4x4 codes -> <see cref="Decoder"/>
/// -> 1x28x28, 4,385 parameters. With a <see cref="Multiplier"/> above 1 every
/// layer has that many times the filters and nothing else changes, so a
/// capacity study compares width alone: 16m, 8m, 8m (code 8m x 4 x 4) |
/// 8m, 8m, 16m, 1 filters; 16,833 parameters at m = 2, 65,921 at m = 4 (the
/// catalog's "wide").
/// </summary>
public sealed class Autoencoder : RestorationModel
{
    private readonly Encoder encoder;
    private readonly Decoder decoder;

    public Autoencoder(int multiplier = 1) : base(nameof(Autoencoder))
    {
        if (multiplier < 1) throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The width multiplier must be at least 1.");
        Multiplier = multiplier;
        var (wide, narrow) = (16 * multiplier, 8 * multiplier);
        encoder = new Encoder(wide, narrow);
        decoder = new Decoder(narrow, wide);
        RegisterComponents();
        InitializeWeights();
    }

    /// <summary>How many times the presentation model's filters each layer has (1: the presentation's model).</summary>
    public int Multiplier { get; }

    /// <summary>The presentation's separate encoder model: the same layers, the same weights.</summary>
    public Encoder Encoder => encoder;

    public override Tensor forward(Tensor input) => decoder.call(encoder.call(input));
}
