using System.Security.Cryptography;
using System.Text.Json;

namespace ImageRestoration.Data;

/// <summary>
/// Which data a run was trained on: the absolute folder it was read from and
/// the SHA-256 of each standard file's decompressed content. Two folders with
/// the same content are the same data; one folder whose files changed is not.
/// </summary>
internal sealed record DataFingerprint(string Directory, IReadOnlyDictionary<string, string> ContentSha256)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static DataFingerprint Of(string directory)
    {
        var full = Path.GetFullPath(directory);
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in MnistFiles.All)
        {
            var path = MnistFiles.Find(full, name) ?? throw new FileNotFoundException($"{Path.Combine(full, name)}(.gz) not found.");
            try
            {
                using var content = IdxFile.OpenDecompressed(path);
                hashes[name] = Convert.ToHexStringLower(SHA256.HashData(content));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: gzip integrity error: the compressed data is damaged or truncated.", e);
            }
        }
        return new DataFingerprint(full, hashes);
    }

    public bool SameContentAs(DataFingerprint other) =>
        ContentSha256.Count == other.ContentSha256.Count &&
        ContentSha256.All(p => other.ContentSha256.TryGetValue(p.Key, out var h) && h == p.Value);

    public string ToJson() => JsonSerializer.Serialize(new { Directory, ContentSha256 = new SortedDictionary<string, string>(ContentSha256.ToDictionary()) }, JsonOptions);

    public static DataFingerprint FromJson(string json, string source)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<DataFingerprint>(json, JsonOptions);
            if (parsed?.Directory is null || parsed.ContentSha256 is null) throw new JsonException("a field is missing");
            return parsed;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a data fingerprint ({e.Message}).", e);
        }
    }
}
