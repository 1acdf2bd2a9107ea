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
    private readonly MaxPool2d pool1;
    private readonly ReLU relu1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool2;
    private readonly ReLU relu2;
    private readonly Conv2d conv3;
    private readonly MaxPool2d pool3;
    private readonly ReLU relu3;

    /// <param name="wide">Filters of the first convolution (16 in the presentation).</param>
    /// <param name="narrow">Filters of the other two, and so of the code (8).</param>
    internal Encoder(int wide, int narrow) : base(nameof(Encoder))
    {
        // Keras's MaxPooling2D(padding='same') pads only at the end, which is
        // PyTorch's ceil mode: 28 -> 14 -> 7 -> 4. Declared in the order forward runs them, for the layer table.
        conv1 = Conv2d(1, wide, 3, Padding.Same);
        pool1 = MaxPool2d(2, ceil_mode: true);
        relu1 = ReLU(inplace: true);
        conv2 = Conv2d(wide, narrow, 3, Padding.Same);
        pool2 = MaxPool2d(2, ceil_mode: true);
        relu2 = ReLU(inplace: true);
        conv3 = Conv2d(narrow, narrow, 3, Padding.Same);
        pool3 = MaxPool2d(2, ceil_mode: true);
        relu3 = ReLU(inplace: true);
        RegisterComponents();
    }

    /// <summary>
    /// Keras's Conv2D(activation='relu') then MaxPooling2D, with the pooling
    /// before the ReLU: the maximum of rectified values is the rectified
    /// maximum, to the bit and in the gradients, and the ReLU then works on a
    /// quarter of the pixels.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        var x = relu1.call(pool1.call(conv1.call(input)));  // 16 x 14 x 14
        x = relu2.call(pool2.call(conv2.call(x)));          //  8 x  7 x  7
        return relu3.call(pool3.call(conv3.call(x)));       //  8 x  4 x  4: the code
    }
}
