using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.Json;
using ImageRestoration.Degradations;
using static TorchSharp.torch;

namespace ImageRestoration.Configuration;

/// <summary>
/// The presentation's "Configuration" section as one typed object, with its
/// defaults (28x28x1 images, batch 128, 100 epochs, verbosity 1, n = 10
/// pictures shown) plus what the presentation left implicit. Loadable from and
/// savable to JSON; every value can be overridden by its dotted key.
/// </summary>
public sealed class ExperimentConfiguration
{
    [Description("Image height in pixels (the seed model takes 28).")]
    public int ImageHeight { get; set; } = 28;

    [Description("Image width in pixels (the seed model takes 28).")]
    public int ImageWidth { get; set; } = 28;

    [Description("Colour channels (the seed model takes 1, greyscale).")]
    public int Channels { get; set; } = 1;

    [Description("Images per mini-batch.")]
    public int BatchSize { get; set; } = 128;

    [Description("Passes over the training images.")]
    public int Epochs { get; set; } = 100;

    [Description("0 silent, 1 a live progress line per epoch, 2 one line per epoch (as in Keras).")]
    public int Verbosity { get; set; } = 1;

    [Description("Pictures shown per grid (the presentation's n).")]
    public int PicturesShown { get; set; } = 10;

    [Description("Adam's learning rate.")]
    public double LearningRate { get; set; } = 1e-3;

    [Description("Adam's epsilon (Keras's default 1e-7; TorchSharp's own default is 1e-8).")]
    public double AdamEpsilon { get; set; } = 1e-7;

    [Description("Seed of every random draw: weights, shuffling, noise.")]
    public long Seed { get; set; } = 42;

    [Description("CPU threads for TorchSharp; 0 keeps libtorch's default.")]
    public int Threads { get; set; }

    [Description("Train on the first N training images only; 0 uses all.")]
    public int TrainLimit { get; set; }

    [Description("Validate on the first N test images only; 0 uses all.")]
    public int TestLimit { get; set; }

    [Description("Folder with the four MNIST-family files; empty: IMAGE_RESTORATION_DATA, the cache, then a download.")]
    public string? DataDirectory { get; set; }

    [Description("Folder of run folders (configuration, checkpoint, history, model, TensorBoard events), one per run.")]
    public string LogDirectory { get; set; } = "runs";

    [Description("Which model to train: seed (the presentation's autoencoder), wide, unet or unet-small; see ModelCatalog.")]
    public string Model { get; set; } = Models.ModelCatalog.Seed;

    [Description("clean trains x -> x; denoising trains degraded(x) -> x.")]
    public TrainingMode Mode { get; set; } = TrainingMode.Clean;

    [Description("How pictures are degraded for denoising.")]
    public DegradationSettings Noise { get; set; } = new();

    [Description("When to stop before the last epoch (Keras's EarlyStopping); off by default.")]
    public EarlyStoppingSettings EarlyStopping { get; set; } = new();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A key given twice would otherwise have its last value win without a word.
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses JSON; <paramref name="source"/> names the text in errors. The result is validated.</summary>
    public static ExperimentConfiguration FromJson(string json, string source = "configuration")
    {
        ExperimentConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<ExperimentConfiguration>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: invalid configuration: {JsonFailure.Describe(e)}", e);
        }
        if (configuration is null) throw new ConfigurationException($"{source}: the JSON is null, not a configuration object.");
        configuration.Noise ??= new DegradationSettings();
        configuration.EarlyStopping ??= new EarlyStoppingSettings();
        configuration.Validate(source);
        return configuration;
    }

    /// <summary>The largest configuration file read: a configuration is well under a kilobyte.</summary>
    private const int MaxJsonBytes = 1 << 20;

    public static ExperimentConfiguration Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"Configuration file {path} not found.");
        try
        {
            return FromJson(BoundedFile.ReadAllText(path, MaxJsonBytes, "a configuration"), path);
        }
        catch (Exception e) when (e is InvalidDataException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(e.Message, e);
        }
    }

    /// <summary>Writes the JSON atomically, so a crash never leaves half a file.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    public ExperimentConfiguration Clone() => FromJson(ToJson());

    /// <summary>
    /// True when both configurations train the same model to the same numbers:
    /// equal in every key but those that only change how a run is shown or
    /// paced (verbosity, picturesShown, threads) or where it is kept (logDirectory).
    /// </summary>
    public bool IsSameExperimentAs(ExperimentConfiguration other) => Essence() == other.Essence();

    /// <summary>
    /// Eight hex digits of a SHA-256 over every key that changes results (all
    /// but verbosity, picturesShown, threads and logDirectory), and over the
    /// layers of a model registered from a notebook: part of a run folder's
    /// name, so an edited epoch count or learning rate trains into a new folder.
    /// </summary>
    public string Fingerprint()
    {
        var text = Essence() + Models.ModelCatalog.Fingerprint(Model);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }

    private string Essence()
    {
        var copy = Clone();
        (copy.Verbosity, copy.PicturesShown, copy.Threads, copy.LogDirectory) = (0, 1, 0, "runs");
        return copy.ToJson();
    }

    /// <summary>Every dotted key (<c>epochs</c>, <c>noise.factor</c>) with its current value and description.</summary>
    public IReadOnlyList<ConfigurationKey> Keys() => ConfigurationKeys.Of(this);

    /// <summary>
    /// A new configuration: this one with <c>key=value</c> overrides applied,
    /// validated; errors name the key and the value. This one is untouched.
    /// </summary>
    public ExperimentConfiguration With(params IEnumerable<string> overrides)
    {
        var copy = JsonSerializer.Deserialize<ExperimentConfiguration>(ToJson(), JsonOptions)!;
        foreach (var assignment in overrides)
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0)
                throw new ConfigurationException($"Override '{assignment}' is not of the form key=value (for example epochs=5).");
            ConfigurationKeys.Set(copy, assignment[..equals].Trim(), assignment[(equals + 1)..].Trim());
        }
        copy.Validate("override");
        return copy;
    }

    /// <summary>What training degrades its inputs with: the configured noise in denoising mode, nothing in clean mode.</summary>
    public Degradation? TrainingDegradation() => Mode == TrainingMode.Denoising ? Noise.Create() : null;

    /// <summary>
    /// The validation inputs: the test images degraded once with
    /// <paramref name="degradation"/> by a generator of their own, seeded with
    /// the configuration's seed + 1 (the presentation's x_test_noisy), or the
    /// test images themselves (an alias) when there is no degradation. The
    /// trainer validates on these, and the evaluation scores every restorer on
    /// these, so a validation loss and a score are on the very same images.
    /// </summary>
    public Tensor ValidationInputs(Tensor testImages, Degradation? degradation) =>
        degradation is null ? testImages.alias() : degradation.ApplyOnce(testImages, Seed + 1);

    /// <summary>The validation inputs of this configuration's own training (<see cref="TrainingDegradation"/>).</summary>
    public Tensor ValidationInputs(Tensor testImages) => ValidationInputs(testImages, TrainingDegradation());

    /// <summary>Throws one <see cref="ConfigurationException"/> listing every invalid value.</summary>
    public void Validate(string source = "configuration")
    {
        var errors = new List<string>();
        void Check(bool ok, string key, object? value, string rule)
        {
            if (!ok) errors.Add($"{key} = {Format(value)}: {rule}");
        }

        Check(ImageHeight == 28, "imageHeight", ImageHeight, "the seed model takes 28x28x1 images");
        Check(ImageWidth == 28, "imageWidth", ImageWidth, "the seed model takes 28x28x1 images");
        Check(Channels == 1, "channels", Channels, "the seed model takes 28x28x1 images");
        Check(BatchSize > 0, "batchSize", BatchSize, "must be positive");
        Check(Epochs > 0, "epochs", Epochs, "must be positive");
        Check(Verbosity is >= 0 and <= 2, "verbosity", Verbosity, "must be 0, 1 or 2");
        Check(PicturesShown is > 0 and <= 100, "picturesShown", PicturesShown, "must be between 1 and 100");
        Check(double.IsFinite(LearningRate) && LearningRate > 0 && LearningRate < 1, "learningRate", LearningRate, "must be in (0, 1)");
        Check(double.IsFinite(AdamEpsilon) && AdamEpsilon > 0 && AdamEpsilon < 1, "adamEpsilon", AdamEpsilon, "must be in (0, 1)");
        Check(Threads >= 0, "threads", Threads, "must be 0 (default) or positive");
        Check(TrainLimit >= 0, "trainLimit", TrainLimit, "must be 0 (all) or positive");
        Check(TestLimit >= 0, "testLimit", TestLimit, "must be 0 (all) or positive");
        Check(!string.IsNullOrWhiteSpace(LogDirectory), "logDirectory", LogDirectory, "must name a folder");
        Check(Enum.IsDefined(Mode), "mode", Mode, "must be clean or denoising");
        Check(Models.ModelCatalog.Names.Contains(Model, StringComparer.OrdinalIgnoreCase), "model", Model,
            "must be one of " + string.Join(", ", Models.ModelCatalog.Names));
        Noise.Validate(Check);
        EarlyStopping.Validate(Check);
        if (errors.Count > 0)
            throw new ConfigurationException($"{source}: invalid configuration:{Environment.NewLine}  " +
                                             string.Join(Environment.NewLine + "  ", errors));
    }

    internal static string Format(object? value) => value switch
    {
        null => "(empty)",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Enum e => ConfigurationKeys.EnumName(e),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}

public enum TrainingMode
{
    Clean,
    Denoising,
}

public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
