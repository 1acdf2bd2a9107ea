using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageRestoration.Models;

namespace ImageRestoration.Configuration;

/// <summary>A dotted configuration key with its current value and what it means.</summary>
public sealed record ConfigurationKey(string Name, string Type, string Value, string Description);

/// <summary>Configuration values by dotted key (<c>degradation.noiseFactor</c>): listed by reflection over the settings records, and turned into JSON for <see cref="ConfigurationFactory"/>.</summary>
internal static class ConfigurationKeys
{
    public static IReadOnlyList<ConfigurationKey> Of(object settings, string prefix = "")
    {
        var keys = new List<ConfigurationKey>();
        foreach (var property in Properties(settings.GetType()))
        {
            var name = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var value = property.GetValue(settings);
            if (IsSection(property.PropertyType))
                keys.AddRange(Of(value!, name + "."));
            else
                keys.Add(new ConfigurationKey(name, TypeName(property.PropertyType), ExperimentConfiguration.Format(value),
                    property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? ""));
        }
        return keys;
    }

    /// <summary>
    /// The JSON path and value of the override <c>key=text</c> (the key in any
    /// case), or null with the reason added to <paramref name="errors"/>.
    /// </summary>
    public static (string[] Path, JsonNode? Value)? ToJson(string key, string text, List<string> errors)
    {
        var type = typeof(ExperimentConfiguration);
        var parts = FormerNames.Key(key).Split('.');
        var path = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var property = Properties(type).FirstOrDefault(p => string.Equals(p.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            if (property is null || IsSection(property.PropertyType) == (i == parts.Length - 1))
            {
                errors.Add($"Unknown configuration key '{key}'. Known keys: {string.Join(", ", Of(new ExperimentConfiguration()).Select(k => k.Name))}.");
                return null;
            }
            path[i] = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            type = property.PropertyType;
        }
        if (Parse(text, type) is (true, var value)) return (path, value);
        errors.Add($"{key} = '{text}': not a valid {TypeName(type)}.");
        return null;
    }

    public static string EnumName(Enum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static (bool Ok, JsonNode? Value) Parse(string text, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return (true, text.Length == 0 ? null : JsonValue.Create(text));
        if (underlying == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return (true, JsonValue.Create(i));
        if (underlying == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return (true, JsonValue.Create(l));
        if (underlying == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return (true, JsonValue.Create(d));
        if (underlying == typeof(bool) && bool.TryParse(text, out var b)) return (true, JsonValue.Create(b));
        if (underlying.IsEnum)
        {
            var match = Enum.GetValues(underlying).Cast<Enum>().FirstOrDefault(v =>
                string.Equals(EnumName(v), text, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return (true, JsonValue.Create(EnumName(match)));
        }
        return (false, null);
    }

    private static string TypeName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum) return string.Join(" | ", Enum.GetValues(underlying).Cast<Enum>().Select(EnumName));
        return underlying == typeof(int) || underlying == typeof(long) ? "whole number"
            : underlying == typeof(double) ? "number"
            : underlying == typeof(bool) ? "true | false"
            : "text";
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string);

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });
}

/// <summary>
/// Names the configuration had before, still read, in one place. The
/// degradation section was first called "noise", though it also sets masks
/// and blur, and its keys did not say which degradation they were for
/// (<c>noise.sigma</c> was the blur's); the presentation's model was first
/// called "seed" (mapped where the model is set, <see cref="ExperimentConfiguration.Model"/>).
/// Files, <c>key=value</c> overrides and run folders written with a former name
/// load as before, with a one-line notice once per process; run names are still
/// hashed over the former names, so every existing run keeps its folder.
/// </summary>
internal static class FormerNames
{
    private const string FormerSection = "noise";
    private const string Section = "degradation";

    /// <summary>The degradation keys that were renamed, former and current (kind and amount kept theirs).</summary>
    private static readonly (string Former, string Current)[] SectionKeys =
        [("factor", "noiseFactor"), ("clip", "noiseClip"), ("size", "squareSize"), ("sigma", "blurSigma")];

    private static readonly ConcurrentDictionary<string, bool> Noticed = new();

    /// <summary>Where a test reads the notices on its own thread; null writes each to standard error once per process.</summary>
    [ThreadStatic] internal static TextWriter? NoticeWriter;

    /// <summary>Reads a configuration file's former names as the current ones, in place, telling the user of each.</summary>
    public static void Update(JsonObject json, string source)
    {
        if (json["model"] is JsonValue model && model.TryGetValue(out string? name)) NoticeModel(name);
        if (!json.TryGetPropertyValue(FormerSection, out var settings)) return;
        if (json.ContainsKey(Section))
            throw new ConfigurationException($"{source}: \"{FormerSection}\" is the former name of \"{Section}\"; give only one of them.");
        json.Remove(FormerSection);
        if (settings is JsonObject keys)
            foreach (var (former, current) in SectionKeys)
            {
                if (!keys.TryGetPropertyValue(former, out var value)) continue;
                if (keys.ContainsKey(current))
                    throw new ConfigurationException($"{source}: \"{FormerSection}.{former}\" is the former name of \"{Section}.{current}\"; give only one of them.");
                keys.Remove(former);
                keys[current] = value;
            }
        json[Section] = settings;
        Notice($"configuration section \"{FormerSection}\" is now called \"{Section}\" (and its keys " +
               $"{string.Join(", ", SectionKeys.Select(k => k.Former))} are now {string.Join(", ", SectionKeys.Select(k => k.Current))})");
    }

    /// <summary>The current name of a dotted override key (<c>noise.factor</c> is <c>degradation.noiseFactor</c>), telling the user when it changed.</summary>
    public static string Key(string key)
    {
        var parts = key.Split('.', 2);
        if (!string.Equals(parts[0], FormerSection, StringComparison.OrdinalIgnoreCase)) return key;
        var inner = parts.Length < 2 ? null
            : SectionKeys.FirstOrDefault(k => string.Equals(k.Former, parts[1], StringComparison.OrdinalIgnoreCase)).Current ?? JsonNamingPolicy.CamelCase.ConvertName(parts[1]);
        var current = inner is null ? Section : $"{Section}.{inner}";
        Notice($"configuration key \"{key}\" is now called \"{current}\"");
        return current;
    }

    /// <summary>Tells once that <paramref name="model"/> is the presentation model's former name, read as the current one.</summary>
    public static void NoticeModel(string? model)
    {
        if (ModelCatalog.IsFormerName(model)) Notice($"model \"{model}\" is now called \"{ModelCatalog.Presentation}\"");
    }

    /// <summary>
    /// A configuration's JSON written with the former names, as every run made
    /// before the renames hashed it. Only the key names change; the keys keep
    /// their order, so the text is the one those runs hashed.
    /// </summary>
    public static string AsFormerlyWritten(string json, string model)
    {
        json = json.Replace($"\"{Section}\": {{", $"\"{FormerSection}\": {{", StringComparison.Ordinal);
        foreach (var (former, current) in SectionKeys)
            json = json.Replace($"\"{current}\": ", $"\"{former}\": ", StringComparison.Ordinal);
        return model == ModelCatalog.Presentation
            ? json.Replace($"\"model\": \"{model}\"", $"\"model\": \"{ModelCatalog.FormerPresentation}\"", StringComparison.Ordinal)
            : json;
    }

    private static void Notice(string notice)
    {
        if (NoticeWriter is { } writer) writer.WriteLine(notice);
        else if (Noticed.TryAdd(notice, true)) Console.Error.WriteLine(notice);
    }
}

/// <summary>
/// What may change of a trained run's configuration, in one place: a resumed
/// run only trains longer or is shown or paced differently; an evaluation
/// changes only which test images it scores and how they are degraded, never
/// the model. The command line maps its options onto these rules.
/// </summary>
public static class AllowedChanges
{
    /// <summary>Keys a resumed run may change: anything else would make it a different experiment.</summary>
    public static IReadOnlyList<string> ForResume { get; } = ["epochs", "verbosity", "threads"];

    /// <summary>Keys an evaluation may change: which test images and how they are degraded, not the model.</summary>
    public static IReadOnlyList<string> ForEvaluation { get; } =
        ["mode", "degradation.kind", "degradation.noiseFactor", "degradation.amount", "degradation.noiseClip", "degradation.squareSize",
         "degradation.blurSigma", "testLimit", "dataDirectory", "threads"];

    /// <summary>The dotted keys whose values differ between the two configurations, in key order.</summary>
    public static IReadOnlyList<string> Changed(ExperimentConfiguration from, ExperimentConfiguration to)
    {
        var before = from.Keys().ToDictionary(k => k.Name, k => k.Value);
        return [.. to.Keys().Where(k => before[k.Name] != k.Value).Select(k => k.Name)];
    }

    /// <summary>Refuses a resumed configuration that changes a key outside <see cref="ForResume"/>, or trains for fewer epochs.</summary>
    public static void RequireResume(ExperimentConfiguration saved, ExperimentConfiguration resumed, string run)
    {
        if (Changed(saved, resumed).FirstOrDefault(k => !ForResume.Contains(k)) is { } fixedKey)
            throw new ConfigurationException(
                $"A resumed run keeps its configuration: '{fixedKey}' cannot change (only {string.Join(", ", ForResume)} can).");
        if (resumed.Epochs < saved.Epochs)
            throw new ConfigurationException(
                $"epochs = {resumed.Epochs}: a resumed run can only train longer; {run} was configured for {saved.Epochs} epochs.");
    }

    /// <summary>
    /// Refuses an evaluation configuration that changes a key outside
    /// <see cref="ForEvaluation"/>, or a degradation key that does not apply
    /// to the images it scores (clean ones, or another kind of degradation).
    /// </summary>
    public static void RequireEvaluation(ExperimentConfiguration trained, ExperimentConfiguration evaluated)
    {
        var changed = Changed(trained, evaluated);
        if (changed.FirstOrDefault(k => !ForEvaluation.Contains(k)) is { } fixedKey)
            throw new ConfigurationException(
                $"evaluate keeps the trained model: '{fixedKey}' cannot change (only {string.Join(", ", ForEvaluation)} can).");
        var clean = evaluated.Mode != TrainingMode.Denoising;
        if (changed.FirstOrDefault(k => k.StartsWith("degradation.", StringComparison.Ordinal) && (clean || !Applies(evaluated.Degradation, k))) is { } unused)
            throw new ConfigurationException(clean
                ? $"'{unused}' does not apply: the images are evaluated clean (mode clean); add --set mode=denoising to evaluate on degraded ones."
                : $"'{unused}' does not apply to degradation.kind {evaluated.Degradation.Create().Name}.");
    }

    /// <summary>True when the key changes what <see cref="DegradationSettings.Create"/> makes for the settings' kind.</summary>
    private static bool Applies(DegradationSettings settings, string key) => key switch
    {
        "degradation.kind" => true,
        "degradation.noiseFactor" or "degradation.noiseClip" => settings.Kind == DegradationKind.Gaussian,
        "degradation.amount" => settings.Kind is DegradationKind.SaltAndPepper or DegradationKind.Mask,
        "degradation.squareSize" => settings.Kind == DegradationKind.SquareMask,
        "degradation.blurSigma" => settings.Kind == DegradationKind.Blur,
        _ => false,
    };
}
