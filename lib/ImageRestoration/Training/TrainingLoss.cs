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

    /// <summary>
    /// Each picture's squared error over its degraded input's, averaged
    /// (<see cref="Metrics.Psnr.ErrorRatio"/>): every noise level weighs
    /// alike, where in the plain mean squared error a patch at sigma 50 weighs
    /// eleven times one at sigma 15. It serves a blind denoiser judged by
    /// its PSNR gain at every sigma.
    /// </summary>
    RelativeSquaredError,
}

internal static class TrainingLossFunctions
{
    public static Tensor Of(TrainingLoss loss, Tensor output, Tensor target, Tensor input) => loss switch
    {
        TrainingLoss.MeanSquaredError => nn.functional.mse_loss(output, target),
        TrainingLoss.RelativeSquaredError => Metrics.Psnr.ErrorRatio(output, target, input).mean(),
        _ => nn.functional.binary_cross_entropy(output, target),
    };
}
