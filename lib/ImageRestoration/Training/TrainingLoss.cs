using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>
/// What the trainer minimises. The presentation's binary cross-entropy suits
/// digits that are nearly black or white; for photographs, judged by PSNR,
/// the mean squared error is the loss that serves the score (PSNR is a
/// function of it alone).
/// </summary>
public enum TrainingLoss
{
    BinaryCrossEntropy,
    MeanSquaredError,
}

internal static class TrainingLossFunctions
{
    public static Tensor Of(TrainingLoss loss, Tensor output, Tensor target) => loss switch
    {
        TrainingLoss.MeanSquaredError => nn.functional.mse_loss(output, target),
        _ => nn.functional.binary_cross_entropy(output, target),
    };
}
