using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

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

/// <summary>
/// The decoder half of the <see cref="Autoencoder"/>: an 8x4x4 code back to a
/// 1x28x28 picture in [0,1].
/// </summary>
internal sealed class Decoder : Module<Tensor, Tensor>
{
    private readonly Conv2d conv4;
    private readonly ReLU relu4;
    private readonly Upsample up1;
    private readonly Conv2d conv5;
    private readonly ReLU relu5;
    private readonly Upsample up2;
    private readonly Conv2d conv6;
    private readonly ReLU relu6;
    private readonly Upsample up3;
    private readonly Conv2d conv7;
    private readonly Sigmoid sigmoid;

    /// <param name="narrow">Filters of the code and of the first two convolutions (8 in the presentation).</param>
    /// <param name="wide">Filters of the last but one convolution (16).</param>
    internal Decoder(int narrow, int wide) : base(nameof(Decoder))
    {
        conv4 = Conv2d(narrow, narrow, 3, Padding.Same);
        relu4 = ReLU(inplace: true);
        up1 = Upsample(scale_factor: [2.0, 2.0]);
        conv5 = Conv2d(narrow, narrow, 3, Padding.Same);
        relu5 = ReLU(inplace: true);
        up2 = Upsample(scale_factor: [2.0, 2.0]);
        // 'valid': 16x16 becomes 14x14, so the last upsampling lands back on 28x28.
        conv6 = Conv2d(narrow, wide, 3, Padding.Valid);
        relu6 = ReLU(inplace: true);
        up3 = Upsample(scale_factor: [2.0, 2.0]);
        conv7 = Conv2d(wide, 1, 3, Padding.Same);
        sigmoid = Sigmoid();
        RegisterComponents();
    }

    public override Tensor forward(Tensor code)
    {
        var x = up1.call(relu4.call(conv4.call(code)));  //  8 x  8 x  8
        x = up2.call(relu5.call(conv5.call(x)));         //  8 x 16 x 16
        x = relu6.call(conv6.call(x));                   // 16 x 14 x 14
        x = UpThenConv7(x);                              //  1 x 28 x 28
        return sigmoid.call(x);
    }

    /// <summary>
    /// <c>conv7(up3(x))</c> in the sub-pixel form: the same values from the
    /// picture before upsampling, in a third of the time (see <see cref="SubPixelConvolution"/>).
    /// </summary>
    private Tensor UpThenConv7(Tensor x) => SubPixelConvolution.UpsampleThenConvolve(x, up3, conv7);
}
