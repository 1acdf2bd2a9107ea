using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The encoder half of the <see cref="Autoencoder"/>, which the presentation
/// also uses as a model of its own: a 1x28x28 digit becomes an 8x4x4 code.
/// The autoencoder owns it, so training the autoencoder changes what this
/// returns, and disposing the autoencoder disposes it.
/// </summary>
public sealed class Encoder : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly ReLU relu1;
    private readonly MaxPool2d pool1;
    private readonly Conv2d conv2;
    private readonly ReLU relu2;
    private readonly MaxPool2d pool2;
    private readonly Conv2d conv3;
    private readonly ReLU relu3;
    private readonly MaxPool2d pool3;

    /// <param name="wide">Filters of the first convolution (16 in the presentation).</param>
    /// <param name="narrow">Filters of the other two, and so of the code (8).</param>
    internal Encoder(int wide, int narrow) : base(nameof(Encoder))
    {
        // Keras's MaxPooling2D(padding='same') pads only at the end, which is
        // PyTorch's ceil mode: 28 -> 14 -> 7 -> 4.
        conv1 = Conv2d(1, wide, 3, Padding.Same);
        relu1 = ReLU(inplace: true);
        pool1 = MaxPool2d(2, ceil_mode: true);
        conv2 = Conv2d(wide, narrow, 3, Padding.Same);
        relu2 = ReLU(inplace: true);
        pool2 = MaxPool2d(2, ceil_mode: true);
        conv3 = Conv2d(narrow, narrow, 3, Padding.Same);
        relu3 = ReLU(inplace: true);
        pool3 = MaxPool2d(2, ceil_mode: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = pool1.call(relu1.call(conv1.call(input)));  // 16 x 14 x 14
        x = pool2.call(relu2.call(conv2.call(x)));          //  8 x  7 x  7
        return pool3.call(relu3.call(conv3.call(x)));       //  8 x  4 x  4: the code
    }
}
