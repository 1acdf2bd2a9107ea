using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace ImageRestoration.Configuration;

/// <summary>A dotted configuration key with its current value and what it means.</summary>
public sealed record ConfigurationKey(string Name, string Type, string Value, string Description);

/// <summary>Reads and writes configuration values by dotted key (<c>noise.factor</c>), by reflection over the settings classes.</summary>
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

    public static void Set(object settings, string key, string text)
    {
        var parts = key.Split('.');
        var target = settings;
        for (var i = 0; i < parts.Length; i++)
        {
            var property = Properties(target.GetType())
                .FirstOrDefault(p => string.Equals(p.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            var isLast = i == parts.Length - 1;
            if (property is null || IsSection(property.PropertyType) == isLast)
                throw new ConfigurationException(
                    $"Unknown configuration key '{key}'. Known keys: {string.Join(", ", Of(settings).Select(k => k.Name))}.");
            if (!isLast)
            {
                target = property.GetValue(target)!;
                continue;
            }
            property.SetValue(target, Parse(key, text, property.PropertyType));
        }
    }

    public static string EnumName(Enum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static object? Parse(string key, string text, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return text.Length == 0 ? null : text;
        if (underlying == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        if (underlying == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        if (underlying == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (underlying == typeof(bool) && bool.TryParse(text, out var b)) return b;
        if (underlying.IsEnum)
        {
            var match = Enum.GetValues(underlying).Cast<Enum>().FirstOrDefault(v =>
                string.Equals(EnumName(v), text, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return match;
        }
        throw new ConfigurationException($"{key} = '{text}': not a valid {TypeName(type)}.");
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
