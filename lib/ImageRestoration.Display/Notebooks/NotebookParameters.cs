using System.Globalization;
using ImageRestoration.Configuration;

namespace ImageRestoration.Notebooks;

/// <summary>
/// A notebook's parameters, the papermill way: the cell tagged
/// <c>parameters</c> holds plain C# variables a student edits (<c>int? epochs
/// = null;</c>), and the configuration cell hands them over as an anonymous
/// object (<c>profile.With(new { epochs, learningRate })</c>). A runner
/// (papermill, or notebook-runner's <c>-p NAME VALUE</c>) injects a cell
/// after it that sets them again. Each variable names a configuration key
/// without its dots, or by its last part alone when no other key ends so, in
/// any case (<c>noiseFactor</c> is <c>degradation.noiseFactor</c>); null
/// leaves the key at the profile's value.
/// </summary>
internal static class NotebookParameters
{
    /// <summary>The <c>key=value</c> overrides the non-null parameters stand for, in the order given.</summary>
    public static IReadOnlyList<string> Overrides(object parameters)
    {
        var keys = new ExperimentConfiguration().Keys().Select(k => k.Name).ToList();
        var overrides = new List<string>();
        foreach (var property in parameters.GetType().GetProperties())
        {
            if (property.GetValue(parameters) is not { } value) continue;
            var key = keys.FirstOrDefault(k => string.Equals(k.Replace(".", ""), property.Name, StringComparison.OrdinalIgnoreCase))
                      ?? ByLastPart(keys, property.Name)
                      ?? throw new ConfigurationException(
                          $"parameter {property.Name}: no configuration key of that name (a parameter is a key without its dots: {string.Join(", ", keys.Select(k => k.Replace(".", "")))}).");
            overrides.Add($"{key}={Text(value)}");
        }
        return overrides;
    }

    /// <summary>The one key whose last part is <paramref name="name"/>; null when none is, or several are.</summary>
    private static string? ByLastPart(List<string> keys, string name)
    {
        var matches = keys.Where(k => string.Equals(k.Split('.')[^1], name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
