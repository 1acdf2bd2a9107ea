using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json;
using ImageRestoration.Degradations;

namespace ImageRestoration.Configuration;

/// <summary>
/// The presentation's "Configuration" section as one typed object, with its
/// defaults (28x28x1 images, batch 128, 100 epochs, verbosity 1, n = 10
/// pictures shown) plus what the presentation left implicit. Immutable: one
/// factory (<see cref="ConfigurationFactory"/>) makes it from the defaults, a
/// JSON file and dotted overrides, and validates it once; a copy made with
/// <c>with</c> is validated where it enters an experiment.
/// </summary>
public sealed record ExperimentConfiguration
{
    [Description("Image height in pixels (the presentation's model takes 28).")]
    public int ImageHeight { get; init; } = 28;

    [Description("Image width in pixels (the presentation's model takes 28).")]
    public int ImageWidth { get; init; } = 28;

    [Description("Colour channels (the presentation's model takes 1, greyscale).")]
    public int Channels { get; init; } = 1;

    [Description("Images per mini-batch.")]
    public int BatchSize { get; init; } = 128;

    [Description("Passes over the training images.")]
    public int Epochs { get; init; } = 100;

    [Description("0 silent, 1 a live progress line per epoch, 2 one line per epoch (as in Keras).")]
    public int Verbosity { get; init; } = 1;

    [Description("Pictures shown per grid (the presentation's n).")]
    public int PicturesShown { get; init; } = 10;

    [Description("Adam's learning rate.")]
    public double LearningRate { get; init; } = 1e-3;

    [Description("Adam's epsilon (Keras's default 1e-7; TorchSharp's own default is 1e-8).")]
    public double AdamEpsilon { get; init; } = 1e-7;

    [Description("Seed of every random draw: weights, shuffling, noise.")]
    public long Seed { get; init; } = 42;

    [Description("CPU threads for TorchSharp; 0 keeps libtorch's default.")]
    public int Threads { get; init; }

    [Description("Train on the first N training images only; 0 uses all.")]
    public int TrainLimit { get; init; }

    [Description("Validate on the first N test images only; 0 uses all.")]
    public int TestLimit { get; init; }

    [Description("Folder with the four MNIST-family files; empty: IMAGE_RESTORATION_DATA, the cache, then a download.")]
    public string? DataDirectory { get; init; }

    [Description("Folder of run folders (configuration, checkpoint, history, model, TensorBoard events), one per run.")]
    public string LogDirectory { get; init; } = "runs";

    [Description("Which model to train: presentation (the presentation's autoencoder), wide, unet or unet-small; see ModelCatalog.")]
    public string Model
    {
        get;
        // The presentation model's former name "seed" becomes its name here, whatever sets it (a file, an
        // override, a copy made with 'with'), so comparisons and run names see one name (RunName hashes the old one).
        init => field = Models.ModelCatalog.Canonical(value);
    } = Models.ModelCatalog.Presentation;

    [Description("clean trains x -> x; denoising trains degraded(x) -> x.")]
    public TrainingMode Mode { get; init; } = TrainingMode.Clean;

    [Description("How pictures are degraded for denoising: noise, missing pixels or blur.")]
    public DegradationSettings Degradation { get; init; } = new();

    [Description("When to stop before the last epoch (Keras's EarlyStopping); off by default.")]
    public EarlyStoppingSettings EarlyStopping { get; init; } = new();

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A key given twice would otherwise have its last value win without a word.
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses JSON over the defaults (<see cref="ConfigurationFactory"/>); <paramref name="source"/> names the text in errors.</summary>
    public static ExperimentConfiguration FromJson(string json, string source = "configuration") => ConfigurationFactory.FromJson(json, source);

    /// <summary>Reads a configuration file over the defaults (<see cref="ConfigurationFactory"/>).</summary>
    public static ExperimentConfiguration Load(string path) => ConfigurationFactory.Create(path);

    /// <summary>Writes the JSON atomically, so a crash never leaves half a file.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>
    /// True when both configurations train the same model to the same numbers:
    /// equal in every key but those that only change how a run is shown or
    /// paced (verbosity, picturesShown, threads) or where it is kept (logDirectory).
    /// </summary>
    public bool IsSameExperimentAs(ExperimentConfiguration other) => Essence() == other.Essence();

    /// <summary>The keys that change results: this configuration with verbosity, picturesShown, threads and logDirectory at fixed values.</summary>
    internal ExperimentConfiguration Essence() => this with { Verbosity = 0, PicturesShown = 1, Threads = 0, LogDirectory = "runs" };

    /// <summary>Every dotted key (<c>epochs</c>, <c>degradation.noiseFactor</c>) with its current value and description.</summary>
    public IReadOnlyList<ConfigurationKey> Keys() => ConfigurationKeys.Of(this);

    /// <summary>
    /// A new configuration: this one with <c>key=value</c> overrides applied,
    /// validated (<see cref="ConfigurationFactory"/>); errors name every wrong key and value. This one is untouched.
    /// </summary>
    public ExperimentConfiguration With(params IEnumerable<string> overrides) => ConfigurationFactory.Create(this, overrides);

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

/// <summary>Which degradation a denoising experiment applies, and how strongly.</summary>
public sealed record DegradationSettings
{
    [Description("gaussian, salt-and-pepper, mask (missing pixels), square-mask (a lost square: inpainting) or blur.")]
    public DegradationKind Kind { get; init; } = DegradationKind.Gaussian;

    [Description("Gaussian noise: standard deviation added (the presentation's noise_factor).")]
    public double NoiseFactor { get; init; } = 0.5;

    [Description("Salt-and-pepper or mask: fraction of pixels affected.")]
    public double Amount { get; init; } = 0.2;

    [Description("Gaussian noise: true clips into [0,1], false rescales each image into [0,1].")]
    public bool NoiseClip { get; init; } = true;

    [Description("Square mask: the lost square's side in pixels.")]
    public int SquareSize { get; init; } = 8;

    [Description("Blur: the Gaussian blur's standard deviation in pixels.")]
    public double BlurSigma { get; init; } = 1.5;

    public Degradation Create() => Kind switch
    {
        DegradationKind.Gaussian => new GaussianNoise(NoiseFactor, NoiseClip ? NoiseNormalisation.Clip : NoiseNormalisation.Rescale),
        DegradationKind.SaltAndPepper => new SaltAndPepper(Amount),
        DegradationKind.Mask => new RandomMask(Amount),
        DegradationKind.SquareMask => new SquareMask(SquareSize),
        DegradationKind.Blur => new Blur(BlurSigma),
        _ => throw new ConfigurationException($"degradation.kind = {Kind}: unknown degradation."),
    };

    internal void Validate(Action<bool, string, object?, string> check)
    {
        check(Enum.IsDefined(Kind), "degradation.kind", Kind, "must be gaussian, salt-and-pepper, mask, square-mask or blur");
        check(double.IsFinite(NoiseFactor) && NoiseFactor is >= 0 and <= 2, "degradation.noiseFactor", NoiseFactor, "must be between 0 and 2");
        check(double.IsFinite(Amount) && Amount is >= 0 and <= 1, "degradation.amount", Amount, "must be between 0 and 1");
        check(SquareSize is >= 1 and <= 28, "degradation.squareSize", SquareSize, "must be between 1 and 28 pixels");
        check(double.IsFinite(BlurSigma) && BlurSigma is > 0 and <= 5, "degradation.blurSigma", BlurSigma, "must be above 0 and at most 5 pixels");
    }
}

public enum DegradationKind
{
    Gaussian,
    SaltAndPepper,
    Mask,
    SquareMask,
    Blur,
}

/// <summary>
/// Keras's EarlyStopping on the validation loss: stop when it has not improved
/// by at least <see cref="MinDelta"/> for <see cref="Patience"/> epochs in a
/// row. Off by default (patience 0), so the presentation's 100 epochs run in full.
/// </summary>
public sealed record EarlyStoppingSettings : IJsonOnDeserialized
{
    [Description("Stop after this many epochs without a validation-loss improvement (Keras's patience); 0 never stops early.")]
    public int Patience { get; init; }

    [Description("The smallest fall in validation loss that counts as an improvement (Keras's min_delta).")]
    public double MinDelta { get; init; }

    /// <summary>
    /// On when <see cref="Patience"/> is positive. Written into configuration
    /// files for their readers; read back only to refuse a value that
    /// contradicts the patience (<c>"enabled": true</c> with patience 0 would
    /// otherwise be ignored without a word).
    /// </summary>
    [JsonInclude]
    public bool Enabled
    {
        get => Patience > 0;
        private set => enabledAsRead = value;
    }

    private bool? enabledAsRead;

    void IJsonOnDeserialized.OnDeserialized()
    {
        var read = enabledAsRead;
        enabledAsRead = null;
        if (read is { } enabled && enabled != Enabled)
            throw new JsonException($"'enabled' is not a setting: early stopping is on exactly when earlyStopping.patience > 0, and patience is {Patience}. " +
                                    "Set earlyStopping.patience instead.");
    }

    /// <summary>
    /// True when the last <see cref="Patience"/> epochs of <paramref name="validationLosses"/>
    /// all failed to beat the best loss before them by <see cref="MinDelta"/>.
    /// Computed from the history alone, so a resumed run stops where an unbroken one would.
    /// </summary>
    public bool ShouldStop(IReadOnlyList<double> validationLosses)
    {
        if (!Enabled) return false;
        var best = double.PositiveInfinity;
        var sinceImprovement = 0;
        foreach (var loss in validationLosses)
        {
            if (loss < best - MinDelta)
            {
                best = loss;
                sinceImprovement = 0;
            }
            else
            {
                sinceImprovement++;
            }
        }
        return sinceImprovement >= Patience;
    }

    internal void Validate(Action<bool, string, object?, string> check)
    {
        check(Patience >= 0, "earlyStopping.patience", Patience, "must be 0 (off) or a positive number of epochs");
        check(double.IsFinite(MinDelta) && MinDelta >= 0, "earlyStopping.minDelta", MinDelta, "must be 0 or positive");
    }
}

/// <summary>
/// The one place a configuration is made: the defaults (or a configuration to
/// start from), then a JSON file, then dotted <c>key=value</c> overrides,
/// validated once, with every problem reported by its key. The command line
/// and the notebook profiles hand their dotted keys to it; nothing else parses them.
/// </summary>
public static class ConfigurationFactory
{
    /// <summary>The largest configuration file read: a configuration is well under a kilobyte.</summary>
    private const int MaxJsonBytes = 1 << 20;

    /// <summary>
    /// The configurations this factory validated, by reference: an entry point
    /// given one of them does not validate it again, while a copy made with
    /// <c>with</c> (a new object) is validated where it enters.
    /// </summary>
    private static readonly ConditionalWeakTable<ExperimentConfiguration, object> Valid = new();

    [ThreadStatic] private static int validations;

    /// <summary>How many validations ran on this thread: lets a test prove an entry point validates once.</summary>
    internal static int Validations => validations;

    /// <summary>
    /// The defaults, then <paramref name="file"/> (if any), then <paramref name="overrides"/>.
    /// With <paramref name="dataRelativeTo"/>, a relative dataDirectory is made absolute against
    /// that folder, so a saved configuration finds its data from anywhere.
    /// </summary>
    public static ExperimentConfiguration Create(string? file = null, IEnumerable<string>? overrides = null, string? dataRelativeTo = null)
    {
        var basis = file is null ? new ExperimentConfiguration() : Parse(ReadFile(file), file);
        return Finish(basis, file ?? "override", overrides ?? [], dataRelativeTo);
    }

    /// <summary><paramref name="basis"/> with <paramref name="overrides"/> applied; <paramref name="basis"/> is untouched.</summary>
    public static ExperimentConfiguration Create(ExperimentConfiguration basis, IEnumerable<string> overrides, string? dataRelativeTo = null) =>
        Finish(basis, "override", overrides, dataRelativeTo);

    /// <summary>Parses JSON over the defaults; <paramref name="source"/> names the text in errors. The result is validated.</summary>
    internal static ExperimentConfiguration FromJson(string json, string source) => Finish(Parse(json, source), source, [], null);

    /// <summary>
    /// The configuration an entry point (training, evaluation) works with:
    /// validated here unless this factory made it.
    /// </summary>
    internal static ExperimentConfiguration Require(ExperimentConfiguration configuration, string source = "configuration")
    {
        if (!Valid.TryGetValue(configuration, out _)) Validate(configuration, source, []);
        return configuration;
    }

    private static ExperimentConfiguration Finish(ExperimentConfiguration basis, string source, IEnumerable<string> overrides, string? dataRelativeTo)
    {
        var errors = new List<string>();
        var configuration = Apply(basis, overrides.ToList(), errors);
        if (dataRelativeTo is not null && !string.IsNullOrWhiteSpace(configuration.DataDirectory))
            configuration = configuration with { DataDirectory = Path.GetFullPath(configuration.DataDirectory, dataRelativeTo) };
        Validate(configuration, source, errors);
        return configuration;
    }

    /// <summary>Sets each override in the JSON form of <paramref name="basis"/> and reads it back; a wrong override is added to <paramref name="errors"/>.</summary>
    private static ExperimentConfiguration Apply(ExperimentConfiguration basis, IReadOnlyList<string> overrides, List<string> errors)
    {
        if (overrides.Count == 0) return basis;
        var node = JsonSerializer.SerializeToNode(basis, ExperimentConfiguration.JsonOptions)!.AsObject();
        foreach (var assignment in overrides)
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0)
                errors.Add($"Override '{assignment}' is not of the form key=value (for example epochs=5).");
            else if (ConfigurationKeys.ToJson(assignment[..equals].Trim(), assignment[(equals + 1)..].Trim(), errors) is var (path, value))
            {
                if (path is ["model"] && value is JsonValue name && name.TryGetValue(out string? model)) FormerNames.NoticeModel(model);
                Set(node, path, value);
            }
        }
        // 'enabled' is written for readers and follows the patience; an override of the patience decides it anew.
        (node["earlyStopping"] as JsonObject)?.Remove("enabled");
        return node.Deserialize<ExperimentConfiguration>(ExperimentConfiguration.JsonOptions)!;
    }

    private static void Set(JsonObject node, IReadOnlyList<string> path, JsonNode? value)
    {
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (node[path[i]] is not JsonObject section) node[path[i]] = section = new JsonObject();
            node = section;
        }
        node[path[^1]] = value;
    }

    private static string ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"Configuration file {path} not found.");
        try
        {
            return BoundedFile.ReadAllText(path, MaxJsonBytes, "a configuration");
        }
        catch (Exception e) when (e is InvalidDataException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(e.Message, e);
        }
    }

    private static ExperimentConfiguration Parse(string json, string source)
    {
        ExperimentConfiguration? configuration;
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (node is JsonObject settings) FormerNames.Update(settings, source);
            configuration = node.Deserialize<ExperimentConfiguration>(ExperimentConfiguration.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: invalid configuration: {JsonFailure.Describe(e)}", e);
        }
        if (configuration is null) throw new ConfigurationException($"{source}: the JSON is null, not a configuration object.");
        // A file with "degradation": null or "earlyStopping": null means the defaults, as a file without them does.
        return configuration with { Degradation = configuration.Degradation ?? new(), EarlyStopping = configuration.EarlyStopping ?? new() };
    }

    /// <summary>Throws one <see cref="ConfigurationException"/> listing every problem (<paramref name="errors"/> and every invalid value) by key.</summary>
    private static void Validate(ExperimentConfiguration configuration, string source, List<string> errors)
    {
        validations++;
        void Check(bool ok, string key, object? value, string rule)
        {
            if (!ok) errors.Add($"{key} = {ExperimentConfiguration.Format(value)}: {rule}");
        }

        var c = configuration;
        Check(c.ImageHeight == 28, "imageHeight", c.ImageHeight, "the presentation's model takes 28x28x1 images");
        Check(c.ImageWidth == 28, "imageWidth", c.ImageWidth, "the presentation's model takes 28x28x1 images");
        Check(c.Channels == 1, "channels", c.Channels, "the presentation's model takes 28x28x1 images");
        Check(c.BatchSize > 0, "batchSize", c.BatchSize, "must be positive");
        Check(c.Epochs > 0, "epochs", c.Epochs, "must be positive");
        Check(c.Verbosity is >= 0 and <= 2, "verbosity", c.Verbosity, "must be 0, 1 or 2");
        Check(c.PicturesShown is > 0 and <= 100, "picturesShown", c.PicturesShown, "must be between 1 and 100");
        Check(double.IsFinite(c.LearningRate) && c.LearningRate > 0 && c.LearningRate < 1, "learningRate", c.LearningRate, "must be in (0, 1)");
        Check(double.IsFinite(c.AdamEpsilon) && c.AdamEpsilon > 0 && c.AdamEpsilon < 1, "adamEpsilon", c.AdamEpsilon, "must be in (0, 1)");
        Check(c.Threads >= 0, "threads", c.Threads, "must be 0 (default) or positive");
        Check(c.TrainLimit >= 0, "trainLimit", c.TrainLimit, "must be 0 (all) or positive");
        Check(c.TestLimit >= 0, "testLimit", c.TestLimit, "must be 0 (all) or positive");
        Check(!string.IsNullOrWhiteSpace(c.LogDirectory), "logDirectory", c.LogDirectory, "must name a folder");
        Check(Enum.IsDefined(c.Mode), "mode", c.Mode, "must be clean or denoising");
        Check(Models.ModelCatalog.Names.Contains(c.Model, StringComparer.OrdinalIgnoreCase), "model", c.Model,
            "must be one of " + string.Join(", ", Models.ModelCatalog.Names));
        c.Degradation.Validate(Check);
        c.EarlyStopping.Validate(Check);
        if (errors.Count > 0)
            throw new ConfigurationException($"{source}: invalid configuration:{Environment.NewLine}  " +
                                             string.Join(Environment.NewLine + "  ", errors));
        Valid.AddOrUpdate(configuration, Valid);
    }
}
