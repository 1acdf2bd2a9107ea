using System.Diagnostics;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>
/// Measures the presentation's model in this process, the way the PyTorch script
/// measures it in its own: warm up, train full epochs of all training images
/// (validating on a token 128 images, so the time is training), then time
/// inference over the test images.
/// </summary>
public static class TorchSharpWorker
{
    public static BenchmarkMeasurement Measure(string dataDirectory, int threads, int epochs, int inferenceBatch)
    {
        TorchRuntime.Initialize();
        set_num_threads(threads);
        using var train = ImageDataset.Load(dataDirectory, DatasetSplit.Train);
        using var test = ImageDataset.Load(dataDirectory, DatasetSplit.Test);
        using var token = test.Images.narrow(0, 0, 128);

        // Warm-up: the first batches pay for oneDNN's kernel selection and allocator growth.
        using (var warmTrain = train.Images.narrow(0, 0, 2560))
        using (Train(warmTrain, token, epochs: 1, threads))
        {
        }

        var memory = new List<double>();
        using var trained = Train(train.Images, token, epochs, threads, memory);
        var inference = InferenceImagesPerSecond(trained.Model, test.Images, inferenceBatch);
        var epochSeconds = trained.History.Epochs.Select(e => e.Seconds).Order().ElementAt(trained.History.Epochs.Count / 2);
        return new BenchmarkMeasurement("TorchSharp", threads, train.Count / epochSeconds, epochSeconds, inference,
            BenchmarkMeasurement.ProcessMemoryMiB().Peak, memory.ToArray()) { CpuCapability = MachineDescription.TorchSharpCapability() };
    }

    private static TrainedModel Train(Tensor images, Tensor validation, int epochs, int threads, List<double>? memory = null)
    {
        var configuration = new ExperimentConfiguration { Verbosity = 0, Epochs = epochs, Threads = threads };
        var model = Experiment.CreateModel(configuration);
        using var trainer = new Trainer(model, configuration)
        {
            Progress = new TrainingProgress(null, 0, epochs, false),
            EpochCompleted = _ => memory?.Add(BenchmarkMeasurement.ProcessMemoryMiB().Current),
        };
        return new TrainedModel(model, trainer.Fit(images, validation));
    }

    /// <summary>Images per second of the median of three timed passes over <paramref name="images"/>, after one untimed pass.</summary>
    public static double InferenceImagesPerSecond(nn.Module<Tensor, Tensor> model, Tensor images, int batch)
    {
        model.eval();
        using var _ = inference_mode();
        var count = images.shape[0];
        double Pass()
        {
            var clock = Stopwatch.StartNew();
            for (long start = 0; start < count; start += batch)
            {
                using var scope = NewDisposeScope();
                model.forward(images.narrow(0, start, Math.Min(batch, count - start)));
            }
            return count / clock.Elapsed.TotalSeconds;
        }
        Pass();
        return new[] { Pass(), Pass(), Pass() }.Order().ElementAt(1);
    }

    private sealed record TrainedModel(Models.RestorationModel Model, TrainingHistory History) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }
}
