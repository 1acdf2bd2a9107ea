using System.Diagnostics;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Metrics;
using ImageRestoration.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>
/// The presentation's training: Adam on binary cross-entropy over shuffled
/// mini-batches, validated on the test images after each epoch. Clean mode
/// learns x -> x; with a <see cref="Degradation"/> it learns degraded(x) -> x,
/// drawing fresh noise for every batch from a generator seeded with the
/// configuration's seed, and validating on test images degraded once.
/// With a <see cref="CheckpointFile"/> it saves a checkpoint after every epoch
/// (and where it stops when cancelled) and can <see cref="Resume"/> from one
/// with the same numbers as a run that never stopped.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly RestorationModel model;
    private readonly ExperimentConfiguration configuration;
    private readonly Degradation? degradation;
    private readonly Adam optimizer;
    private readonly Generator generator;
    private readonly string run;
    private TrainingPosition position = TrainingPosition.Start;
    private Tensor? resumedOrder;

    public Trainer(RestorationModel model, ExperimentConfiguration configuration, Degradation? degradation = null)
    {
        this.model = model;
        this.configuration = ConfigurationFactory.Require(configuration);
        this.degradation = degradation;
        optimizer = optim.Adam(model.parameters(), lr: configuration.LearningRate, eps: configuration.AdamEpsilon);
        generator = new Generator((ulong)configuration.Seed);
        run = RunName.Identity(configuration);
    }

    /// <summary>Where progress goes; null is silent. Defaults to the console at the configuration's verbosity.</summary>
    public TrainingProgress? Progress { get; set; }

    /// <summary>What <see cref="Step"/> minimises: the presentation's binary cross-entropy unless told.</summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.BinaryCrossEntropy;

    /// <summary>A learning rate per optimizer step (counted over the whole run), or null for the configuration's fixed rate.</summary>
    internal CosineLearningRate? Schedule { get; init; }

    /// <summary>A folder for TensorBoard scalars (train and validation loss per epoch), or null for none.</summary>
    public string? TensorBoardDirectory { get; set; }

    /// <summary>Where to keep the checkpoint, or null for none.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Called after each epoch's checkpoint, for example to write the history where people can read it.</summary>
    public Action<TrainingHistory>? EpochCompleted { get; set; }

    public TrainingHistory History { get; private set; } = new();

    /// <summary>The next epoch and batch to run: the start, or where a resumed checkpoint stopped.</summary>
    internal TrainingPosition Position => position;

    /// <summary>
    /// Restores model, optimizer, generator, history and position from a
    /// checkpoint of this configuration's run. Given the number of training
    /// images, also refuses a position past the epoch's last batch or an image
    /// order of another length, before anything trains.
    /// </summary>
    public void Resume(string checkpointFile, long? trainImages = null)
    {
        resumedOrder?.Dispose();
        (History, position, resumedOrder) = Checkpoint.Load(checkpointFile, model, optimizer, generator, run);
        if (trainImages is not { } count) return;
        if (position.NextBatch >= Batches(count))
            throw new InvalidDataException($"{checkpointFile} is not a usable checkpoint: it stands at batch {position.NextBatch + 1} of epoch {position.Epoch}, " +
                                           $"which has {Batches(count)} batches of {configuration.BatchSize}.");
        if (resumedOrder is not null && resumedOrder.shape[0] != count)
            throw new InvalidDataException($"{checkpointFile} is not a usable checkpoint: it was made with {resumedOrder.shape[0]} training images, not {count}.");
    }

    /// <summary>
    /// Trains until the configured number of epochs and returns the history.
    /// When <paramref name="cancellation"/> fires, the current batch finishes,
    /// a checkpoint is written (if there is a checkpoint file) and
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public TrainingHistory Fit(Tensor trainImages, Tensor validationImages, CancellationToken cancellation = default)
    {
        if (Loss == TrainingLoss.RelativeSquaredError && degradation is null)
            throw new ConfigurationException($"loss = {Loss}: it divides each picture's error by its degradation's, and this training degrades nothing.");
        var progress = Progress ?? TrainingProgress.ForConsole(configuration.Verbosity, configuration.Epochs);
        using var validationInputs = ValidationInputs.Of(configuration, validationImages, degradation);
        var tensorBoard = TensorBoardDirectory is null ? null : torch.utils.tensorboard.SummaryWriter(TensorBoardDirectory);
        var count = trainImages.shape[0];
        while (position.Epoch <= configuration.Epochs && !configuration.EarlyStopping.ShouldStop(History.ValidationLoss))
        {
            var clock = Stopwatch.StartNew();
            var (lossSum, mseSum) = TrainEpoch(trainImages, progress, clock, cancellation);
            var (validationLoss, validationMse) = ValidationLosses(validationInputs, validationImages);
            var record = new EpochRecord(position.Epoch, lossSum / count, validationLoss, mseSum / count, validationMse,
                position.Seconds + clock.Elapsed.TotalSeconds);
            EndEpoch(record, tensorBoard, progress, (int)count);
            cancellation.ThrowIfCancellationRequested();
        }
        return History;
    }

    /// <summary>One pass over the training images in a fresh order (or the resumed one), from the position's next batch; returns the loss sums.</summary>
    private (double LossSum, double MseSum) TrainEpoch(Tensor images, TrainingProgress progress, Stopwatch clock, CancellationToken cancellation)
    {
        var count = images.shape[0];
        var batchSize = configuration.BatchSize;
        var batches = Batches(count);
        var (lossSum, mseSum) = (position.LossSum, position.MseSum);
        using var order = NextOrder(count);
        model.train();
        for (var batch = position.NextBatch; batch < batches; batch++)
        {
            var start = (long)batch * batchSize;
            var length = Math.Min(batchSize, count - start);
            var (loss, mse) = TrainBatch(images, order, start, length, batch);
            lossSum += loss * length;
            mseSum += mse * length;
            progress.Batch(position.Epoch, batch + 1, batches, lossSum / (start + length), start + length - (long)position.NextBatch * batchSize, clock.Elapsed);
            // Scalars TorchSharp leaves to the finalizer would otherwise pile up over an epoch.
            TorchRuntime.ReleaseUndisposedScalars();
            if (cancellation.IsCancellationRequested && batch + 1 < batches)
                StopMidEpoch(new TrainingPosition(position.Epoch, batch + 1, lossSum, mseSum, position.Seconds + clock.Elapsed.TotalSeconds), order,
                    cancellation);
        }
        return (lossSum, mseSum);
    }

    /// <summary>One optimizer step on the images at positions start..start+length of the order; returns the batch's mean loss and MSE.</summary>
    private (float Loss, float Mse) TrainBatch(Tensor images, Tensor order, long start, long length, int batch)
    {
        using var scope = NewDisposeScope();
        var target = images.index_select(0, order.narrow(0, start, length));
        var input = degradation?.Apply(target, generator) ?? target;
        if (Schedule is { } schedule) SetLearningRate(schedule.At((long)(position.Epoch - 1) * Batches(images.shape[0]) + batch));
        var (output, loss) = Step(input, target, batch + 1);
        var value = loss.item<float>();
        if (!float.IsFinite(value)) throw new TrainingDivergedException(position.Epoch, batch + 1, value);
        using (no_grad())
            return (value, nn.functional.mse_loss(output, target).item<float>());
    }

    /// <summary>
    /// One training step, the presentation's compile(optimizer='adam',
    /// loss='binary_crossentropy') at work: forward, the <see cref="Loss"/>
    /// (binary cross-entropy unless told) against the clean pictures,
    /// gradients, one Adam update. Returns the
    /// output and the loss before the update; <paramref name="batch"/> names
    /// the batch in the error if the output is not finite.
    /// </summary>
    public (Tensor Output, Tensor Loss) Step(Tensor input, Tensor target, int batch = 1)
    {
        model.train();
        var output = model.forward(input);
        // Binary cross-entropy rejects NaN outputs with an opaque native error; name the fault instead.
        if (!output.isfinite().all().item<bool>()) throw new TrainingDivergedException(position.Epoch, batch, double.NaN);
        var loss = TrainingLossFunctions.Of(Loss, output, target, input);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return (output, loss);
    }

    private void SetLearningRate(double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    private int Batches(long count) => (int)((count + configuration.BatchSize - 1) / configuration.BatchSize);

    /// <summary>The order of this epoch's images: the one a checkpoint stopped in, else a fresh draw.</summary>
    private Tensor NextOrder(long count)
    {
        var order = resumedOrder ?? randperm(count, generator: generator);
        resumedOrder = null;
        if (order.shape[0] == count) return order;
        var saved = order.shape[0];
        order.Dispose();
        throw new InvalidDataException($"The checkpoint was made with {saved} training images, not {count}.");
    }

    /// <summary>Saves where the epoch stopped (with its image order, to resume in the same order) and throws.</summary>
    private void StopMidEpoch(TrainingPosition stoppedAt, Tensor order, CancellationToken cancellation)
    {
        position = stoppedAt;
        SaveCheckpoint(order);
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>The validation loss (the same <see cref="Loss"/> as training) and MSE, through the same batched scorer as the evaluation.</summary>
    private (double Loss, double Mse) ValidationLosses(Tensor inputs, Tensor targets)
    {
        model.eval();
        var (bce, mse, ratio) = Scorer.Losses(model.forward, inputs, targets, withErrorRatio: Loss == TrainingLoss.RelativeSquaredError);
        return (Loss switch { TrainingLoss.MeanSquaredError => mse, TrainingLoss.RelativeSquaredError => ratio, _ => bce }, mse);
    }

    /// <summary>Records the epoch (history, TensorBoard, progress), moves to the next one and saves the checkpoint.</summary>
    private void EndEpoch(EpochRecord record, SummaryWriter? tensorBoard, TrainingProgress progress, int count)
    {
        History.Epochs.Add(record);
        tensorBoard?.add_scalar("loss/train", (float)record.TrainLoss, record.Epoch);
        tensorBoard?.add_scalar("loss/validation", (float)record.ValidationLoss, record.Epoch);
        progress.Epoch(record, Batches(count), count);
        position = TrainingPosition.Start with { Epoch = record.Epoch + 1 };
        SaveCheckpoint(null);
        EpochCompleted?.Invoke(History);
    }

    private void SaveCheckpoint(Tensor? order)
    {
        if (CheckpointFile is not null)
            Checkpoint.Save(CheckpointFile, model, optimizer, generator, History, position, order, run);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        resumedOrder?.Dispose();
    }
}

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

/// <summary>
/// What a configuration's training feeds its model: the degradation of its
/// inputs, and the test images it validates on. The trainer validates on
/// these, and the evaluation scores every restorer on these, so a validation
/// loss and a score are on the very same images.
/// </summary>
internal static class ValidationInputs
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
