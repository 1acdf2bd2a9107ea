using System.Diagnostics;
using ImageRestoration.Baselines;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Models;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Studies;

/// <summary>What a study runs besides its configuration: the lists it goes through and where it writes.</summary>
public sealed record StudyOptions
{
    /// <summary>Noise sweep: the Gaussian noise factors the model (trained at the configuration's factor) is evaluated at.</summary>
    public IReadOnlyList<double> NoiseLevels { get; init; } = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>Capacity study: the models compared, by catalog name.</summary>
    public IReadOnlyList<string> Models { get; init; } = [ModelCatalog.Presentation, ModelCatalog.Wide, ModelCatalog.UNetSmall, ModelCatalog.UNet];

    /// <summary>Degradation study: the degradations a model is trained on, each with the configuration's strength for it.</summary>
    public IReadOnlyList<DegradationKind> Degradations { get; init; } = Enum.GetValues<DegradationKind>();

    /// <summary>The classical baselines scored beside the models.</summary>
    public Func<IReadOnlyList<Restorer>> Baselines { get; init; } = BaselineCatalog.Standard;

    /// <summary>Reuse a finished run of the same configuration from the log directory instead of training again (<see cref="Experiment.LoadOrRun"/>).</summary>
    public bool ReuseFinishedRuns { get; init; } = true;

    /// <summary>Where the JSON and the Markdown go: null for <c>LOGDIRECTORY/studies</c>, empty for nowhere.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The folder the study's files go to for this configuration (empty: none), see <see cref="OutputDirectory"/>.</summary>
    public string DirectoryFor(ExperimentConfiguration configuration) =>
        OutputDirectory ?? Path.Combine(configuration.LogDirectory, "studies");

    /// <summary>Training progress; null prints to the console at the configuration's verbosity.</summary>
    public TrainingProgress? Progress { get; init; }

    /// <summary>One line per step of the study (training, loading, scoring); null is silent.</summary>
    public TextWriter? Log { get; init; }

    public int EvaluationBatchSize { get; init; } = Metrics.Scorer.DefaultBatchSize;

    /// <summary>
    /// Noise sweep: a baselines study of the same configuration, whose rows at its noise level the sweep
    /// takes instead of scoring the same pictures with the same methods again.
    /// </summary>
    public StudyTable? Scored { get; init; }

    /// <summary>Stops the run being trained after its current batch, with a checkpoint (a later study resumes it).</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// The evaluation studies, one call each, from an experiment
/// configuration: its epochs, batch size, seed, threads, trainLimit and
/// testLimit set the budget (the presentation's full run: epochs=20 or more,
/// trainLimit=0 and testLimit=0 for all 60,000 / 10,000 images), its model
/// and noise the defaults. Every model is trained through
/// <see cref="Experiment"/>, so each lands in its usual run folder under the
/// log directory and a later study (or notebook) reuses it. Test images are
/// degraded by <see cref="ValidationInputs.Of(ExperimentConfiguration, Tensor, Degradation?)"/>,
/// exactly as the trainer's validation inputs, and every restorer is scored
/// on those same images.
/// <code>
/// var table = Study.Run("baselines", new ExperimentConfiguration().With("epochs=20", "verbosity=2"));
/// Console.WriteLine(table.ToMarkdown());   // also saved as runs/studies/baselines.{json,md}
/// </code>
/// </summary>
public static class Study
{
    /// <summary>Noisy input, each baseline, the model trained clean and the model trained on the configured noise.</summary>
    public const string Baselines = "baselines";

    /// <summary>The model trained at the configured Gaussian factor, and the baselines, evaluated at factors 0.1 to 0.9.</summary>
    public const string NoiseSweep = "noise-sweep";

    /// <summary>The model trained on each degradation in turn, against the baselines on the same images.</summary>
    public const string Degradations = "degradations";

    /// <summary>Several models trained with the same budget: parameters, epoch time, PSNR/SSIM, train/test gap.</summary>
    public const string Capacity = "capacity";

    public static IReadOnlyList<string> Names { get; } = [Baselines, NoiseSweep, Degradations, Capacity];

    /// <summary>Runs the named study and saves its table (see <see cref="StudyOptions.OutputDirectory"/>).</summary>
    public static StudyTable Run(string name, ExperimentConfiguration configuration, StudyOptions? options = null) =>
        name.ToLowerInvariant() switch
        {
            Baselines => RunBaselines(configuration, options),
            NoiseSweep => RunNoiseSweep(configuration, options),
            Degradations => RunDegradations(configuration, options),
            Capacity => RunCapacity(configuration, options),
            _ => throw new ArgumentException($"Unknown study '{name}'; known studies: {string.Join(", ", Names)}.", nameof(name)),
        };

    public static StudyTable RunBaselines(ExperimentConfiguration configuration, StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        var clock = Stopwatch.StartNew();
        var noisyConfiguration = configuration with { Mode = TrainingMode.Denoising };
        var degradation = noisyConfiguration.Degradation.Create();
        var rows = new List<StudyRow>();
        int trainCount, testCount;
        using (var noisy = Train(noisyConfiguration, options))
        {
            (trainCount, testCount) = (noisy.Train.Count, noisy.Test.Count);
            using var degraded = ValidationInputs.Of(configuration, noisy.Test.Images, degradation);
            rows.AddRange(ScoreInputAndBaselines(degraded, noisy.Test.Images, degradation.Name, options));
            rows.Add(ScoreModel(noisy, degraded, degradation.Name, options));
        }
        using (var clean = Train(configuration with { Mode = TrainingMode.Clean }, options))
        {
            using var degraded = ValidationInputs.Of(configuration, clean.Test.Images, degradation);
            rows.Insert(rows.Count - 1, ScoreModel(clean, degraded, degradation.Name, options));
            // The presentation's own use: the clean-trained model on clean pictures (its validation loss).
            rows.Add(ScoreModel(clean, clean.Test.Images, "none", options));
        }
        return Finish(Baselines, $"Classical baselines against the {configuration.Model} model on {degradation.Name} test images",
            $"Every method restores the same {degradation.Name} test images. The model is trained once on clean images " +
                $"(x→x, as the presentation) and once on {degradation.Name} noise (degraded(x)→x); the last row scores the clean-trained model on clean images.",
            configuration, (trainCount, testCount), clock, rows, options);
    }

    public static StudyTable RunNoiseSweep(ExperimentConfiguration configuration, StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        if (options.NoiseLevels.Count == 0) throw new ArgumentException("The noise sweep needs at least one noise level.", nameof(options));
        var clock = Stopwatch.StartNew();
        var trainedConfiguration = configuration with { Mode = TrainingMode.Denoising, Degradation = configuration.Degradation with { Kind = DegradationKind.Gaussian } };
        var rows = new List<StudyRow>();
        using var result = Train(trainedConfiguration, options);
        foreach (var level in options.NoiseLevels)
        {
            var degradation = (trainedConfiguration.Degradation with { NoiseFactor = level }).Create();
            if (AlreadyScored(options, configuration, degradation.Name) is { } scored)
            {
                options.Log?.WriteLine($"At {degradation.Name}: the baselines study's rows, scored on the same pictures");
                rows.AddRange(scored.Select(r => r with { NoiseLevel = level }));
                continue;
            }
            options.Log?.WriteLine($"Scoring at {degradation.Name}");
            using var degraded = ValidationInputs.Of(configuration, result.Test.Images, degradation);
            rows.AddRange(ScoreInputAndBaselines(degraded, result.Test.Images, degradation.Name, options).Select(r => r with { NoiseLevel = level }));
            rows.Add(ScoreModel(result, degraded, degradation.Name, options) with { NoiseLevel = level });
        }
        var trainedOn = trainedConfiguration.Degradation.Create().Name;
        return Finish(NoiseSweep, $"Noise-level sweep: the {configuration.Model} model trained on {trainedOn}, evaluated from " +
                FormattableString.Invariant($"{options.NoiseLevels.Min()} to {options.NoiseLevels.Max()}"),
            "At each Gaussian noise factor, the test images are degraded once and every method restores the same images; " +
                $"the model is trained at one factor only ({trainedOn}).",
            configuration, (result.Train.Count, result.Test.Count), clock, rows, options);
    }

    public static StudyTable RunDegradations(ExperimentConfiguration configuration, StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        var clock = Stopwatch.StartNew();
        var rows = new List<StudyRow>();
        int trainCount = 0, testCount = 0;
        foreach (var kind in options.Degradations)
        {
            var trainedConfiguration = TrainedOn(configuration, kind);
            var degradation = trainedConfiguration.Degradation.Create();
            using var result = Train(trainedConfiguration, options);
            (trainCount, testCount) = (result.Train.Count, result.Test.Count);
            using var degraded = ValidationInputs.Of(configuration, result.Test.Images, degradation);
            rows.AddRange(ScoreInputAndBaselines(degraded, result.Test.Images, degradation.Name, options));
            rows.Add(ScoreModel(result, degraded, degradation.Name, options));
        }
        return Finish(Degradations, $"The {configuration.Model} model trained on each degradation",
            "For each degradation, one model trained on it (degraded(x)→x) and the baselines restore the same degraded test images.",
            configuration, (trainCount, testCount), clock, rows, options);
    }

    public static StudyTable RunCapacity(ExperimentConfiguration configuration, StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        if (options.Models.Count == 0) throw new ArgumentException("The capacity study needs at least one model.", nameof(options));
        var clock = Stopwatch.StartNew();
        var rows = new List<StudyRow>();
        int trainCount = 0, testCount = 0;
        string degradationName = "";
        foreach (var model in options.Models)
        {
            var trainedConfiguration = configuration with { Mode = TrainingMode.Denoising, Model = model };
            var degradation = trainedConfiguration.Degradation.Create();
            degradationName = degradation.Name;
            using var result = Train(trainedConfiguration, options);
            (trainCount, testCount) = (result.Train.Count, result.Test.Count);
            using var degraded = ValidationInputs.Of(configuration, result.Test.Images, degradation);
            if (rows.Count == 0) rows.Add(StudyRow.From(Restorer.None, degradation.Name,
                Evaluator.Score(Restorer.None, degraded, result.Test.Images, options.EvaluationBatchSize)));
            // As many training images as test images, degraded with other draws than the test's.
            using var trainClean = result.Train.Images.narrow(0, 0, Math.Min(result.Train.Count, result.Test.Count));
            using var trainDegraded = degradation.ApplyOnce(trainClean, configuration.Seed + 2);
            var onTrain = Evaluator.Score(new ModelRestorer(model, result.Model), trainDegraded, trainClean, options.EvaluationBatchSize);
            rows.Add(ScoreModel(result, degraded, degradation.Name, options) with
            {
                TrainPsnr = onTrain.Psnr,
                TrainSsim = onTrain.Ssim,
                TrainBce = onTrain.Bce,
            });
        }
        return Finish(Capacity, $"Capacity study on {degradationName}: {string.Join(", ", options.Models)} with the same budget",
            "Each model is trained with the same epochs, batch size, data and noise; PSNR/SSIM/BCE on the degraded test images, " +
                "and on as many degraded training images for the train/test gap (overfitting).",
            configuration, (trainCount, testCount), clock, rows, options);
    }

    /// <summary>The configuration of the degradation study's model for <paramref name="kind"/>: denoising on that degradation, at its configured strength.</summary>
    public static ExperimentConfiguration TrainedOn(ExperimentConfiguration configuration, DegradationKind kind) =>
        configuration with { Mode = TrainingMode.Denoising, Degradation = configuration.Degradation with { Kind = kind } };

    private static ExperimentResult Train(ExperimentConfiguration configuration, StudyOptions options)
    {
        options.Log?.WriteLine($"{(options.ReuseFinishedRuns ? "Training (or reusing)" : "Training")} {RunName.Of(configuration)}: " +
                               $"{configuration.Epochs} epochs");
        return options.ReuseFinishedRuns
            ? Experiment.LoadOrRun(configuration, options.Progress, options.Log, options.Cancellation)
            : Experiment.Run(configuration, options.Progress, options.Log, options.Cancellation);
    }

    private static IEnumerable<StudyRow> ScoreInputAndBaselines(Tensor degraded, Tensor clean, string degradation, StudyOptions options)
    {
        foreach (var restorer in InputAndBaselines(options))
        {
            options.Log?.WriteLine($"  scoring {restorer.Name} on {degradation}");
            yield return StudyRow.From(restorer, degradation, Evaluator.Score(restorer, degraded, clean, options.EvaluationBatchSize));
        }
    }

    /// <summary>
    /// The rows the sweep would score at <paramref name="degradation"/>, from <see cref="StudyOptions.Scored"/>
    /// when it is a baselines study of the same run with the same methods: the degraded
    /// input, every baseline and the model trained on that noise, in the sweep's order. Null otherwise.
    /// </summary>
    private static List<StudyRow>? AlreadyScored(StudyOptions options, ExperimentConfiguration configuration, string degradation)
    {
        if (options.Scored is not { Study: Baselines } table || RunName.Of(table.Configuration) != RunName.Of(configuration)) return null;
        var rows = table.Rows.Where(r => r.Degradation == degradation && r.TrainedOn != "clean").ToList();
        var expected = InputAndBaselines(options).Select(r => r.Name);
        var methods = rows.Where(r => r.Kind != RestorerKind.Model).Select(r => r.Method);
        return methods.SequenceEqual(expected) && rows.Count(r => r.Kind == RestorerKind.Model) == 1 ? rows : null;
    }

    /// <summary>What a study scores besides its models, in its rows' order: the degraded input, then every baseline.</summary>
    private static IReadOnlyList<Restorer> InputAndBaselines(StudyOptions options) => [Restorer.None, .. options.Baselines()];

    private static StudyRow ScoreModel(ExperimentResult result, Tensor degraded, string degradation, StudyOptions options)
    {
        var configuration = result.Configuration;
        var trainedOn = configuration.Mode == TrainingMode.Clean ? "clean" : configuration.Degradation.Create().Name;
        var restorer = new ModelRestorer($"{configuration.Model} trained on {trainedOn}", result.Model);
        options.Log?.WriteLine($"  scoring {restorer.Name} on {degradation}");
        var history = result.History;
        return StudyRow.From(restorer, degradation, Evaluator.Score(restorer, degraded, result.Test.Images, options.EvaluationBatchSize)) with
        {
            Model = configuration.Model,
            TrainedOn = trainedOn,
            Parameters = result.Model.parameters().Sum(p => p.numel()),
            Epochs = history.Epochs.Count,
            EpochSeconds = history.Epochs.Count > 0 ? history.Epochs.Average(e => e.Seconds) : null,
            FinalTrainLoss = history.Last?.TrainLoss,
            FinalValidationLoss = history.Last?.ValidationLoss,
        };
    }

    /// <summary>The study's table, saved where the options or the configuration say (its chart is the display's business).</summary>
    private static StudyTable Finish(string study, string title, string description, ExperimentConfiguration configuration,
        (int Train, int Test) images, Stopwatch clock, List<StudyRow> rows, StudyOptions options)
    {
        var table = new StudyTable
        {
            Study = study,
            Title = title,
            Description = description,
            Configuration = configuration,
            TrainImages = images.Train,
            TestImages = images.Test,
            Seconds = clock.Elapsed.TotalSeconds,
            Rows = rows,
        };
        var directory = options.DirectoryFor(configuration);
        if (directory.Length > 0)
        {
            var (json, markdown) = table.Save(directory);
            options.Log?.WriteLine($"Saved {DisplayPath.Of(json)} and {DisplayPath.Of(markdown)}");
        }
        return table;
    }
}
