namespace ImageRestoration.Training;

/// <summary>The loss became NaN or infinite: the weights can no longer be trusted, so training stops.</summary>
public sealed class TrainingDivergedException(int epoch, int batch, double loss) : Exception(
    $"Training diverged: the loss became {loss} at epoch {epoch}, batch {batch}. " +
    "Training stopped; try a lower learningRate, and check the inputs are in [0,1].")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
}
