using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageRestoration.Photos;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary><c>train-photos</c>: trains the blind photo denoiser on the training photographs and saves it with its record.</summary>
internal static class TrainPhotosCommand
{
    public static Command Create(TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        var defaults = new PhotoTrainingSettings();
        var photos = new Option<string?>("--photos") { Description = $"Folder of the sample photographs (else {PhotoSet.EnvironmentVariable}, else {PhotoSet.DefaultDirectory})." };
        var outFile = new Option<string>("--out") { Description = "Where to save the model; its record goes beside it as .json.", DefaultValueFactory = _ => "photo-denoiser.bin" };
        var modelName = new Option<string>("--model")
        {
            Description = $"Which photo denoiser to train: {string.Join(" or ", Models.ModelCatalog.PhotoModels)}.", DefaultValueFactory = _ => defaults.Model,
        };
        var patchSize = Program.WholeNumberOption("--patch-size", "Side of the square training patches, in pixels.", defaults.PatchSize);
        var batchSize = Program.WholeNumberOption("--batch-size", "Patches per optimizer step.", defaults.BatchSize);
        var epochs = Program.WholeNumberOption("--epochs", "Passes over the patches.", defaults.Epochs);
        var patches = Program.WholeNumberOption("--patches", "Training patches cut from the pictures.", defaults.Patches);
        var rate = new Option<double>("--learning-rate") { Description = "Adam's learning rate at the first step.", DefaultValueFactory = _ => defaults.LearningRate };
        var finalRate = new Option<double>("--final-learning-rate")
        {
            Description = "Where the cosine schedule brings the learning rate by the last step.", DefaultValueFactory = _ => defaults.FinalLearningRate,
        };
        var loss = new Option<string>("--loss")
        {
            Description = "What training minimises: mse (the mean squared error) or relative (each patch's squared error over its noise's, " +
                          "so every noise level weighs alike).",
            DefaultValueFactory = _ => LossNames.First(n => n.Value == defaults.Loss).Key,
        };
        loss.AcceptOnlyFromAmong([.. LossNames.Keys]);
        var seed = Program.WholeNumberOption("--seed", "Seed of the patches, the noise and the initial weights.", (int)defaults.Seed);
        var threads = Program.WholeNumberOption("--threads", "CPU threads (0: TorchSharp's default).", 0);
        var force = new Option<bool>("--force") { Description = "Overwrite an existing model file." };
        var command = new Command("train-photos",
            "Train the blind photo denoiser (sigma 5..55 of 255) on the training photographs with the kit's trainer; save the model and a record " +
            "(command, pictures and their SHA-256, seed, history).") { photos, outFile, modelName, epochs, patches, patchSize, batchSize, loss, rate, finalRate, seed, threads, force };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var settings = defaults with
            {
                Model = parsed.GetValue(modelName)!, PatchSize = parsed.GetValue(patchSize), BatchSize = parsed.GetValue(batchSize),
                Epochs = parsed.GetValue(epochs), Patches = parsed.GetValue(patches), Seed = parsed.GetValue(seed),
                LearningRate = parsed.GetValue(rate), FinalLearningRate = parsed.GetValue(finalRate), Loss = LossNames[parsed.GetValue(loss)!],
            };
            settings.Validate();
            var target = Path.GetFullPath(parsed.GetValue(outFile)!);
            if (File.Exists(target) && !parsed.GetValue(force))
                throw new IOException($"{target} already exists; add --force to overwrite it.");
            if (parsed.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(parsed.GetValue(threads));
            TrainAndSave(settings, PhotoSet.Directory(parsed.GetValue(photos)), target, output, interrupt);
            return 0;
        }));
        return command;
    }

    private static readonly Dictionary<string, TrainingLoss> LossNames = new()
    {
        ["mse"] = TrainingLoss.MeanSquaredError, ["relative"] = TrainingLoss.RelativeSquaredError,
    };

    /// <summary>Loads the pictures, trains, saves the model at <paramref name="target"/> and its record beside it.</summary>
    private static void TrainAndSave(PhotoTrainingSettings settings, string directory, string target, TextWriter output, CancellationToken interrupt)
    {
        var train = PhotoSet.LoadGrey(directory, PhotoSet.Train);
        var test = PhotoSet.LoadGrey(directory, PhotoSet.Test);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        output.WriteLine(Announcement(settings, train.Count, directory));
        var progress = new TrainingProgress(output, 1, settings.Epochs, live: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        var (model, history) = PhotoTraining.Train(train, test, settings, progress, cancellation: interrupt);
        using (model)
        {
            model.Save(target);
            WriteRecord(Path.ChangeExtension(target, ".json"), settings, directory, clock.Elapsed, history);
        }
        foreach (var picture in train.Concat(test)) picture.Dispose();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saved {target} and its record after {clock.Elapsed.TotalMinutes:F1} min."));
    }

    private static string Announcement(PhotoTrainingSettings settings, int pictures, string directory) =>
        $"Training the photo denoiser ({settings.Model}): {settings.Patches} patches of {settings.PatchSize}x{settings.PatchSize} from {pictures} pictures in {directory}, " +
        $"{settings.Epochs} epochs, batch {settings.BatchSize} ({settings.Steps} steps), {settings.Loss} loss, learning rate {settings.LearningRate} " +
        $"to {settings.FinalLearningRate} (cosine), sigma {settings.SigmaLow}..{settings.SigmaHigh} of 255, seed {settings.Seed}, " +
        (TorchSharp.torch.get_num_threads() is 1 ? "1 thread" : $"{TorchSharp.torch.get_num_threads()} threads");

    /// <summary>The model's record: how to make it again (command, settings, pictures with SHA-256) and what it took (seconds, threads, CPU, history).</summary>
    private static void WriteRecord(string path, PhotoTrainingSettings settings, string directory, TimeSpan elapsed, TrainingHistory history)
    {
        var record = new
        {
            command = "image-restoration train-photos " + string.Join(" ", Environment.GetCommandLineArgs().Skip(2)),
            settings,
            threads = TorchSharp.torch.get_num_threads(),
            seconds = Math.Round(elapsed.TotalSeconds, 1),
            train = PhotoSet.Train.Select(name => new { name, sha256 = Sha256(Path.Combine(directory, name)) }),
            validation = PhotoSet.Test.Select(name => new { name, sha256 = Sha256(Path.Combine(directory, name)) }),
            cpu = RecordedRuns.ThisMachine(),
            history = history.Epochs,
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, RecordOptions));
    }

    private static readonly JsonSerializerOptions RecordOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
