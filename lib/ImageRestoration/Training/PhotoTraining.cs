using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>
/// How the photo denoiser is trained: patches, noise range, batches and seed.
/// Sigmas are on the 0..255 scale, as photographers quote them.
/// </summary>
public sealed record PhotoTrainingSettings
{
    /// <summary>Which photo denoiser to train (<see cref="ModelCatalog.PhotoModels"/>).</summary>
    public string Model { get; init; } = ModelCatalog.PhotoWide;
    public int Patches { get; init; } = 4096;
    public int PatchSize { get; init; } = 40;
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Where the cosine schedule brings the learning rate by the last step.</summary>
    public double FinalLearningRate { get; init; } = 1e-5;

    /// <summary>
    /// Each patch's squared error over its noise's (<see cref="TrainingLoss.RelativeSquaredError"/>), so that a patch at sigma 15
    /// weighs as much as one at 50: the targets are PSNR margins at each sigma. Trained on the plain mean squared error
    /// instead, the 8 x 32 kind ended 0.28 dB lower at sigma 15 and 0.23 dB higher at 50 (docs/results.md).
    /// </summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.RelativeSquaredError;
    public long Seed { get; init; } = 42;
    public double SigmaLow { get; init; } = 5;
    public double SigmaHigh { get; init; } = 55;
    public int ValidationPatches { get; init; } = 128;

    /// <summary>Optimizer steps over the whole run: every epoch takes every patch once, in batches.</summary>
    public long Steps => (long)Epochs * ((Patches + BatchSize - 1) / BatchSize);

    /// <summary>The learning rate of every step: cosine from <see cref="LearningRate"/> down to <see cref="FinalLearningRate"/>.</summary>
    internal CosineLearningRate Schedule() => new(LearningRate, FinalLearningRate, Steps);

    /// <summary>Refuses settings that cannot train, naming the value, before anything is loaded or printed.</summary>
    public void Validate()
    {
        if (FinalLearningRate <= 0 || FinalLearningRate > LearningRate)
            throw new ConfigurationException($"final learning rate = {FinalLearningRate}: must be above 0 and at most the learning rate {LearningRate}.");
        if (Epochs < 1) throw new ConfigurationException($"epochs = {Epochs}: must be at least 1.");
        if (Patches < 1) throw new ConfigurationException($"patches = {Patches}: must be at least 1.");
        if (!ModelCatalog.PhotoModels.Contains(Model))
            throw new ConfigurationException($"model = {Model}: a photo denoiser is one of {string.Join(", ", ModelCatalog.PhotoModels)}.");
        if (PatchSize < 8) throw new ConfigurationException($"patch size = {PatchSize}: must be at least 8.");
        if (BatchSize < 1) throw new ConfigurationException($"batch size = {BatchSize}: must be at least 1.");
        if (ValidationPatches < 1) throw new ConfigurationException($"validation patches = {ValidationPatches}: must be at least 1.");
        ConfigurationFactory.Require(TrainerConfiguration(0), "photo training");
    }

    /// <summary>The degradation training draws from: a fresh sigma per patch in [low, high] of 255, clipped.</summary>
    internal BlindGaussianNoise Noise() => new(SigmaLow / 255, SigmaHigh / 255);

    /// <summary>The kit's trainer settings these map to (the trainer's loop takes pictures of any size).</summary>
    public ExperimentConfiguration TrainerConfiguration(int verbosity) => new()
    {
        Model = Model, Mode = TrainingMode.Denoising, Epochs = Epochs, BatchSize = BatchSize,
        LearningRate = LearningRate, Seed = Seed, Verbosity = verbosity,
    };
}

/// <summary>
/// Trains the blind photo denoiser with the kit's own <see cref="Trainer"/>:
/// patches cut from the training pictures (seeded), fresh noise of a random
/// level for every patch of every batch, validation on patches cut from other
/// pictures, degraded once. Grey pictures in; colour is restored channel by channel.
/// </summary>
public static class PhotoTraining
{
    /// <summary>Trains a fresh model (weights drawn from the seed) or continues <paramref name="start"/>; returns the model and its history.</summary>
    public static (RestorationModel Model, TrainingHistory History) Train(IReadOnlyList<Tensor> trainPictures, IReadOnlyList<Tensor> validationPictures,
        PhotoTrainingSettings settings, TrainingProgress? progress = null, RestorationModel? start = null, CancellationToken cancellation = default)
    {
        settings.Validate();
        var configuration = settings.TrainerConfiguration(progress is null ? 0 : 1);
        TorchRuntime.Initialize();
        random.manual_seed(settings.Seed);
        var model = start ?? ModelCatalog.Create(settings.Model);
        using var patches = PatchSampler.Sample(trainPictures, settings.Patches, settings.PatchSize, settings.Seed);
        using var validation = PatchSampler.Sample(validationPictures, settings.ValidationPatches, settings.PatchSize, settings.Seed + 1);
        using var trainer = new Trainer(model, configuration, settings.Noise())
        {
            Progress = progress, Loss = settings.Loss, Schedule = settings.Schedule(),
        };
        try
        {
            return (model, trainer.Fit(patches, validation, cancellation));
        }
        catch
        {
            if (start is null) model.Dispose();
            throw;
        }
    }
}
