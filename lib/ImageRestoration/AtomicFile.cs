namespace ImageRestoration;

/// <summary>
/// Writes a whole file or nothing: to a temporary name in the same folder,
/// flushed to disk, then renamed over the target, so a crash never leaves half
/// a configuration, history or table. On a full disk or another IO error the
/// target is untouched, the temporary file removed and the path named. Every
/// folder of the library saves through it.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, temporary =>
    {
        using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write);
        file.Write(System.Text.Encoding.UTF8.GetBytes(text));
        file.Flush(flushToDisk: true);
    });

    /// <summary>Lets <paramref name="write"/> fill the temporary file it is given, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // the first error is the one to report
            }
            throw new IOException($"{path} could not be written: {e.Message}", e);
        }
    }
}
