using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

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
