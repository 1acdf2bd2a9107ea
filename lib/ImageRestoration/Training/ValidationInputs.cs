using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>
/// What a configuration's training feeds its model: the degradation of its
/// inputs, and the test images it validates on. The trainer validates on
/// these, and the evaluation scores every restorer on these, so a validation
/// loss and a score are on the very same images.
/// </summary>
public static class ValidationInputs
{
    /// <summary>What training degrades its inputs with: the configured degradation in denoising mode, nothing in clean mode.</summary>
    public static Degradation? TrainingDegradation(ExperimentConfiguration configuration) =>
        configuration.Mode == TrainingMode.Denoising ? configuration.Degradation.Create() : null;

    /// <summary>
    /// The test images degraded once with <paramref name="degradation"/> by a
    /// generator of their own, seeded with the configuration's seed + 1 (the
    /// presentation's x_test_noisy), or the test images themselves (an alias)
    /// when there is no degradation.
    /// </summary>
    public static Tensor Of(ExperimentConfiguration configuration, Tensor testImages, Degradation? degradation) =>
        degradation is null ? testImages.alias() : degradation.ApplyOnce(testImages, configuration.Seed + 1);

    /// <summary>The validation inputs of the configuration's own training (<see cref="TrainingDegradation"/>).</summary>
    public static Tensor Of(ExperimentConfiguration configuration, Tensor testImages) =>
        Of(configuration, testImages, TrainingDegradation(configuration));
}
