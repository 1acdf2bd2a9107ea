using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageRestoration;

/// <summary>
/// What is wrong with a JSON file, in its reader's terms: the kind of fault
/// (an unknown key, a value of the wrong type, broken syntax) and where, as
/// the dotted path of the key (<c>degradation.noiseFactor</c>), never a .NET type name.
/// The configuration and the history readers describe their faults through it.
/// </summary>
internal static partial class JsonFailure
{
    public static string Describe(JsonException e)
    {
        var path = e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
        var what = UnmappedKey().Match(e.Message) is { Success: true } unknown ? $"unknown key '{unknown.Groups[1].Value}'"
            : e.Message.Contains("could not be converted", StringComparison.Ordinal) ? "a value of the wrong type (or null where a value is needed)"
            : FirstSentence(e.Message);
        return path is null ? what : $"{what} at '{path}'";
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedKey();
}
