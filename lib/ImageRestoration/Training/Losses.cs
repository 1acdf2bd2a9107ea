using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>Mean binary cross-entropy and mean squared error of a model's outputs over a whole set of images.</summary>
public static class Losses
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="inputs"/> in evaluation
    /// mode and scores its outputs against <paramref name="targets"/>;
    /// both means are over every pixel of every image.
    /// </summary>
    public static (double Bce, double Mse) Evaluate(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, int batchSize = 1000)
    {
        model.eval();
        using var _ = no_grad();
        double bce = 0, mse = 0;
        var count = inputs.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, count - start);
            var output = model.forward(inputs.narrow(0, start, length));
            var target = targets.narrow(0, start, length);
            bce += nn.functional.binary_cross_entropy(output, target, reduction: nn.Reduction.Sum).item<float>();
            mse += nn.functional.mse_loss(output, target, reduction: nn.Reduction.Sum).item<float>();
        }
        var pixels = (double)targets.numel();
        return (bce / pixels, mse / pixels);
    }
}
