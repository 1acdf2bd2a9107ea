using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

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
