using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageRestoration.Configuration;

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
