using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Notebooks;

/// <summary>A configuration value named as the presentation names it.</summary>
public sealed record Hyperparameter(string Presentation, string Key, string Value);

/// <summary>A configuration key whose value differs between two configurations.</summary>
public sealed record ConfigurationChange(string Key, string Presentation, string ThisRun);

/// <summary>Pixel statistics of a set of pictures in [0,1].</summary>
public sealed record PixelStatistics(string Set, long Pictures, string Shape, double Min, double Max, double Mean, double StandardDeviation,
    double BlackFraction, double BrightFraction);

/// <summary>How much a degradation changes pictures: mean squared error to the originals and the share of pixels it changed.</summary>
public sealed record DegradationEffect(string Degradation, double MeanSquaredError, double PixelsChanged, double Mean);

/// <summary>
/// How far a model's outputs are from the originals, against how far its
/// inputs were: squared error, binary cross-entropy, and the mean per-image
/// PSNR (dB) and SSIM (<see cref="Evaluator"/>). A clean run's inputs are the
/// originals, so it has no input PSNR.
/// </summary>
public sealed record TestScore(string Run, double InputMse, double OutputMse, double OutputBce, double MeanImageMse,
    double? InputPsnr, double OutputPsnr, double OutputSsim);

/// <summary>One run's figures in one row.</summary>
public sealed record RunSummary(string Run, int Epochs, double FirstValidationLoss, double FinalTrainLoss, double FinalValidationLoss,
    double ValidationMinusTrain, double SecondsPerEpoch);

/// <summary>The small computations behind the notebooks' tables, so that the notebooks only call and show.</summary>
public static class Numbers
{
    /// <summary>The hyperparameters the presentation's "Configuration" section names, from this configuration.</summary>
    public static IReadOnlyList<Hyperparameter> Hyperparameters(ExperimentConfiguration c) =>
    [
        new("image size (rows x cols x channels)", "imageHeight, imageWidth, channels", $"{c.ImageHeight}x{c.ImageWidth}x{c.Channels}"),
        new("batch_size", "batchSize", $"{c.BatchSize}"),
        new("epochs", "epochs", $"{c.Epochs}"),
        new("verbosity", "verbosity", $"{c.Verbosity}"),
        new("n (pictures shown)", "picturesShown", $"{c.PicturesShown}"),
    ];

    /// <summary>Every key whose value in <paramref name="run"/> differs from the <paramref name="presentation"/>'s.</summary>
    public static IReadOnlyList<ConfigurationChange> Changes(ExperimentConfiguration presentation, ExperimentConfiguration run)
    {
        var before = presentation.Keys().ToDictionary(k => k.Name, k => k.Value);
        return run.Keys().Where(k => !before.TryGetValue(k.Name, out var value) || value != k.Value)
            .Select(k => new ConfigurationChange(k.Name, before.GetValueOrDefault(k.Name, ""), k.Value)).ToList();
    }

    /// <summary>Minimum, maximum, mean, spread, and the shares of black (0) and bright (above 0.5) pixels.</summary>
    public static PixelStatistics Pixels(string set, Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float64);
        return new PixelStatistics(set, images.shape[0], "(" + string.Join(", ", images.shape) + ")",
            x.min().item<double>(), x.max().item<double>(), x.mean().item<double>(), x.std().item<double>(),
            (x == 0).to(ScalarType.Float64).mean().item<double>(), (x > 0.5).to(ScalarType.Float64).mean().item<double>());
    }

    /// <summary>What each degradation does to the pictures, each drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<DegradationEffect> Effects(Tensor images, IEnumerable<Degradation> degradations, long seed = 42)
    {
        var effects = new List<DegradationEffect>();
        foreach (var degradation in degradations)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)seed);
            var degraded = degradation.Apply(images, generator);
            effects.Add(new DegradationEffect(degradation.Name,
                nn.functional.mse_loss(degraded, images).item<float>(),
                (degraded - images).abs().gt(1e-6).to(ScalarType.Float32).mean().item<float>(),
                degraded.mean().item<float>()));
        }
        return effects;
    }

    /// <summary>
    /// Scores a trained model on the test pictures as the trainer validated
    /// them (<see cref="ValidationInputs.Of(ExperimentConfiguration, Tensor)"/>):
    /// degraded for a denoising run, the pictures themselves for a clean run. The mean-image MSE is a baseline: the
    /// error of drawing the training set's average picture for every input.
    /// </summary>
    public static TestScore Score(string run, ExperimentResult result)
    {
        using var scope = NewDisposeScope();
        var test = result.Test.Images;
        var inputs = ValidationInputs.Of(result.Configuration, test);
        var input = Evaluator.Score(Restorer.None, inputs, test);
        var output = Evaluator.Score(new ModelRestorer(run, result.Model), inputs, test);
        var meanImage = result.Train.Images.mean([0], keepdim: true);
        return new TestScore(run, input.Mse, output.Mse, output.Bce, nn.functional.mse_loss(meanImage.expand_as(test), test).item<float>(),
            result.Configuration.Mode == TrainingMode.Denoising ? input.Psnr : null, output.Psnr, output.Ssim);
    }

    /// <summary>A run's first and final losses, the validation-minus-training gap and the mean epoch time.</summary>
    public static RunSummary Summary(string run, TrainingHistory history)
    {
        var last = history.Last ?? throw new ArgumentException($"The history of '{run}' has no epochs.", nameof(history));
        return new RunSummary(run, history.Epochs.Count, history.Epochs[0].ValidationLoss, last.TrainLoss, last.ValidationLoss,
            last.ValidationLoss - last.TrainLoss, history.Epochs.Average(e => e.Seconds));
    }

    /// <summary>A configuration's training budget in words: "15 epochs on all 60,000 training pictures" or "2 epochs on the first 30,000".</summary>
    public static string Budget(ExperimentConfiguration configuration) =>
        $"{configuration.Epochs} epochs on {(configuration.TrainLimit == 0 ? "all 60,000" : $"the first {configuration.TrainLimit:N0}")} training pictures";

    /// <summary>
    /// The presentation's model on <paramref name="degradation"/> in a study
    /// trained on a smaller budget, set against the same model in the study on
    /// notebook 05's budget: the sentence that goes next to the smaller study's figure.
    /// </summary>
    public static string PresentationAcrossBudgets(StudyTable smaller, StudyTable notebookBudget, string degradation)
    {
        StudyRow Presentation(StudyTable table) => table.Rows.FirstOrDefault(r => r.Kind == RestorerKind.Model && r.Model == ModelCatalog.Presentation &&
                                                                                  r.TrainedOn == degradation && r.Degradation == degradation)
                                                   ?? throw new ArgumentException($"The {table.Study} study has no presentation model trained on {degradation}.");
        var (small, full) = (Presentation(smaller), Presentation(notebookBudget));
        if (small.Epochs == full.Epochs && smaller.TrainImages == notebookBudget.TrainImages)
            return $"Every model here trained {small.Epochs} epochs on {smaller.TrainImages:N0} pictures, the budget of notebook 05.";
        return $"Every model here trained {small.Epochs} epochs on {smaller.TrainImages:N0} pictures, a smaller budget than notebook 05's " +
               $"{full.Epochs} epochs on {notebookBudget.TrainImages:N0}: the presentation's model on {degradation} reaches {small.Psnr:F2} dB here " +
               $"against {full.Psnr:F2} dB with notebook 05's budget (the baselines above). Compare rows within this study, not with notebook 05.";
    }

    /// <summary>The epochs analyses of the recorded clean and denoising runs, named as recorded so that no chart shows them as this run's.</summary>
    public static (EpochsAnalysis Clean, EpochsAnalysis Denoising) RecordedEpochs(RecordedRuns recorded, int window = 10) =>
        (EpochsAnalysis.Of($"clean, recorded {recorded.Of(TrainingMode.Clean).History.Epochs.Count} epochs", recorded.Of(TrainingMode.Clean).History, window),
         EpochsAnalysis.Of($"denoising, recorded {recorded.Of(TrainingMode.Denoising).History.Epochs.Count} epochs", recorded.Of(TrainingMode.Denoising).History, window));

    /// <summary>Where the recorded runs come from, in sentences: folder, commands, machine, date, data.</summary>
    public static string Provenance(RecordedRuns recorded)
    {
        var p = recorded.Provenance;
        return $"Recorded runs from {DisplayPath.Of(recorded.Directory)} (not trained now): {p.Description}\n" +
               string.Join("\n", recorded.Runs.Select((r, i) => $"  {r.Name}: {r.History.Epochs.Count} epochs, made by: {p.Commands[i]}")) +
               $"\nMachine: {p.Machine}; finished {p.Date}; MNIST files with SHA-256 {string.Join(", ", p.DataSha256.Select(d => $"{d.Key} {d.Value[..12]}..."))}.";
    }

    /// <summary>The parameters an encoder shares with its autoencoder (the same tensors), and how many it has.</summary>
    public static (long Shared, long EncoderTotal, long AutoencoderTotal) SharedParameters(Autoencoder model)
    {
        var own = model.parameters().Select(p => p.Handle).ToHashSet();
        var encoder = model.Encoder.parameters().ToList();
        return (encoder.Where(p => own.Contains(p.Handle)).Sum(p => p.numel()), encoder.Sum(p => p.numel()), model.parameters().Sum(p => p.numel()));
    }
}
