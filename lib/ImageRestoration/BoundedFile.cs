namespace ImageRestoration;

/// <summary>
/// Reads a small text file (a configuration, a history, a marker) only if it
/// is small: at most the limit plus one byte is ever read, so a huge file or
/// an endless one (<c>/dev/zero</c>) is refused at once instead of filling
/// memory. Every JSON reader of the library reads through it.
/// </summary>
internal static class BoundedFile
{
    /// <summary>The file's text, or <see cref="InvalidDataException"/> naming the file when it holds more than <paramref name="maxBytes"/>.</summary>
    public static string ReadAllText(string path, int maxBytes, string what)
    {
        using var file = File.OpenRead(path);
        using var content = new MemoryStream();
        var chunk = new byte[81920];
        for (int read; (read = file.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1L - content.Length))) > 0;)
        {
            content.Write(chunk, 0, read);
            if (content.Length > maxBytes)
                throw new InvalidDataException($"{path} holds more than {maxBytes / 1024} KiB, too much for {what}: refused before reading the rest.");
        }
        return System.Text.Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
    }
}
