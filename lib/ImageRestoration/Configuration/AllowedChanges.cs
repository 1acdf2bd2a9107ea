namespace ImageRestoration.Configuration;

/// <summary>
/// What may change of a trained run's configuration, in one place: a resumed
/// run only trains longer or is shown or paced differently; an evaluation
/// changes only which test images it scores and how they are degraded, never
/// the model. The command line maps its options onto these rules.
/// </summary>
public static class AllowedChanges
{
    /// <summary>Keys a resumed run may change: anything else would make it a different experiment.</summary>
    public static IReadOnlyList<string> ForResume { get; } = ["epochs", "verbosity", "threads"];

    /// <summary>Keys an evaluation may change: which test images and how they are degraded, not the model.</summary>
    public static IReadOnlyList<string> ForEvaluation { get; } =
        ["mode", "degradation.kind", "degradation.noiseFactor", "degradation.amount", "degradation.noiseClip", "degradation.squareSize",
         "degradation.blurSigma", "testLimit", "dataDirectory", "threads"];

    /// <summary>The dotted keys whose values differ between the two configurations, in key order.</summary>
    public static IReadOnlyList<string> Changed(ExperimentConfiguration from, ExperimentConfiguration to)
    {
        var before = from.Keys().ToDictionary(k => k.Name, k => k.Value);
        return [.. to.Keys().Where(k => before[k.Name] != k.Value).Select(k => k.Name)];
    }

    /// <summary>Refuses a resumed configuration that changes a key outside <see cref="ForResume"/>, or trains for fewer epochs.</summary>
    public static void RequireResume(ExperimentConfiguration saved, ExperimentConfiguration resumed, string run)
    {
        if (Changed(saved, resumed).FirstOrDefault(k => !ForResume.Contains(k)) is { } fixedKey)
            throw new ConfigurationException(
                $"A resumed run keeps its configuration: '{fixedKey}' cannot change (only {string.Join(", ", ForResume)} can).");
        if (resumed.Epochs < saved.Epochs)
            throw new ConfigurationException(
                $"epochs = {resumed.Epochs}: a resumed run can only train longer; {run} was configured for {saved.Epochs} epochs.");
    }

    /// <summary>
    /// Refuses an evaluation configuration that changes a key outside
    /// <see cref="ForEvaluation"/>, or a degradation key that does not apply
    /// to the images it scores (clean ones, or another kind of degradation).
    /// </summary>
    public static void RequireEvaluation(ExperimentConfiguration trained, ExperimentConfiguration evaluated)
    {
        var changed = Changed(trained, evaluated);
        if (changed.FirstOrDefault(k => !ForEvaluation.Contains(k)) is { } fixedKey)
            throw new ConfigurationException(
                $"evaluate keeps the trained model: '{fixedKey}' cannot change (only {string.Join(", ", ForEvaluation)} can).");
        var clean = evaluated.Mode != TrainingMode.Denoising;
        if (changed.FirstOrDefault(k => k.StartsWith("degradation.", StringComparison.Ordinal) && (clean || !Applies(evaluated.Degradation, k))) is { } unused)
            throw new ConfigurationException(clean
                ? $"'{unused}' does not apply: the images are evaluated clean (mode clean); add --set mode=denoising to evaluate on degraded ones."
                : $"'{unused}' does not apply to degradation.kind {evaluated.Degradation.Create().Name}.");
    }

    /// <summary>True when the key changes what <see cref="DegradationSettings.Create"/> makes for the settings' kind.</summary>
    private static bool Applies(DegradationSettings settings, string key) => key switch
    {
        "degradation.kind" => true,
        "degradation.noiseFactor" or "degradation.noiseClip" => settings.Kind == DegradationKind.Gaussian,
        "degradation.amount" => settings.Kind is DegradationKind.SaltAndPepper or DegradationKind.Mask,
        "degradation.squareSize" => settings.Kind == DegradationKind.SquareMask,
        "degradation.blurSigma" => settings.Kind == DegradationKind.Blur,
        _ => false,
    };
}
