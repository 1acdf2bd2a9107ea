using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Metrics;
using ImageRestoration.Training;

namespace ImageRestoration.Evaluation;

/// <summary>
/// A finished run scored on the test images: its saved configuration with
/// only what an evaluation may change (<see cref="AllowedChanges.RequireEvaluation"/>),
/// the data scored and the scores. The command line's <c>evaluate</c> prints it.
/// </summary>
public sealed record RunEvaluation(ExperimentConfiguration Configuration, RestorationScore Score, string DataDirectory, string? OtherData)
{
    /// <summary>What the model was given: "clean" or the degradation's name.</summary>
    public string Inputs => Configuration.Mode == TrainingMode.Denoising ? Configuration.Degradation.Create().Name : "clean";

    /// <summary>
    /// Scores the run in <paramref name="folder"/> once its files check out,
    /// with <paramref name="changes"/> (<c>key=value</c>). Other data than the
    /// run's is refused unless a change names <c>dataDirectory</c>; then it is
    /// scored and <see cref="OtherData"/> says whose data it is.
    /// </summary>
    public static RunEvaluation Of(RunFolder folder, IReadOnlyList<string> changes, TextWriter? log = null)
    {
        folder.VerifyComplete();
        var trained = folder.LoadConfiguration();
        folder.RequireIdentity(trained);
        var configuration = ConfigurationFactory.Create(trained, changes, Environment.CurrentDirectory);
        AllowedChanges.RequireEvaluation(trained, configuration);
        Experiment.Prepare(configuration);
        var current = DataFingerprint.Of(DataLocator.Resolve(configuration.DataDirectory, log: log));
        // Asking for data by name (--data, or dataDirectory even left empty) is what allows other data than the run's.
        var pinned = changes.Any(c => c.Split('=')[0].Trim().Equals("dataDirectory", StringComparison.OrdinalIgnoreCase))
            ? folder.LoadData()
            : folder.RequireSameData(current);
        var other = pinned.SameContentAs(current) ? null
            : $"NOT the run's data: {folder} was trained on the data in {DisplayPath.Of(pinned.Directory)}; these scores are on other content, " +
              $"the test images in {DisplayPath.Of(current.Directory)}.";
        using var test = ImageDataset.Load(current.Directory, DatasetSplit.Test, configuration.TestLimit);
        test.RequireImageSize(configuration.ImageHeight, configuration.ImageWidth);
        using var model = folder.LoadModel(trained);
        return new RunEvaluation(configuration, Experiment.Score(configuration, model, test.Images), current.Directory, other);
    }
}
