using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The encoder half of an <see cref="Autoencoder"/>, sharing its weights: a
/// 1x28x28 digit becomes an 8x4x4 code. Training the autoencoder changes what
/// this returns; disposing it does not dispose the shared layers.
/// </summary>
public sealed class Encoder : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    internal Encoder(Sequential layers) : base(nameof(Encoder))
    {
        this.layers = layers;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => layers.forward(input);

    // The layers belong to the autoencoder, which disposes them.
    protected override void Dispose(bool disposing) { }
}
