namespace ImageRestoration.Training;

/// <summary>
/// A learning rate that falls from <see cref="Start"/> to <see cref="End"/>
/// along half a cosine over <see cref="Steps"/> optimizer steps (Loshchilov
/// and Hutter 2017, without restarts): large steps early, fine ones at the
/// end, where a fixed rate keeps the weights rattling around the minimum.
/// A function of the step number alone, so a run is the same from its seed.
/// </summary>
internal sealed record CosineLearningRate(double Start, double End, long Steps)
{
    /// <summary>The rate for step <paramref name="step"/> (0-based); <see cref="End"/> from the last step on.</summary>
    public double At(long step)
    {
        var progress = Steps <= 1 ? 1 : Math.Min(1, (double)step / (Steps - 1));
        return End + (Start - End) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
