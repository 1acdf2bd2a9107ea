using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageRestoration.Models;

namespace ImageRestoration.Configuration;

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
