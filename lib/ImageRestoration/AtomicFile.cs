namespace ImageRestoration;

/// <summary>
/// Writes a whole file or nothing: to a temporary name in the same folder, then
/// renamed over the target, so a crash never leaves half a configuration,
/// history or table. Every folder of the library saves through it.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
