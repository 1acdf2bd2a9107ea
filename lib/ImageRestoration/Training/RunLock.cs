namespace ImageRestoration.Training;

/// <summary>
/// One writer per run folder: a lock on a file beside the folder
/// (<c>NAME.lock</c>, outside it, so moving a run aside never moves its lock).
/// The operating system holds the lock for the process (a byte-range lock:
/// fcntl on Linux, LockFileEx on Windows; on macOS, where .NET offers no
/// byte-range lock, flock on the whole file) and drops it when the process
/// dies, so a killed training never leaves a stale lock behind. The file's
/// first bytes name the holder's process id, for the refusal message.
/// </summary>
internal sealed class RunLock : IDisposable
{
    // The locked byte lies past the process id, so a refused process can still read the id.
    private const long LockedByte = 4096;

    private readonly FileStream file;

    private RunLock(FileStream file) => this.file = file;

    /// <summary>Takes the lock of <paramref name="folder"/>, or refuses (IOException, exit 2) naming the process that holds it.</summary>
    public static RunLock Acquire(RunFolder folder)
    {
        var path = folder.Path + ".lock";
        FileStream file;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException) when (OperatingSystem.IsMacOS() && File.Exists(path))
        {
            throw Busy(folder, "another process");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The run folder {folder} cannot be locked ({path}): {e.Message} Choose another logDirectory.", e);
        }
        try
        {
            if (!OperatingSystem.IsMacOS()) file.Lock(LockedByte, 1);
        }
        catch (IOException)
        {
            var holder = Holder(file);
            file.Dispose();
            throw Busy(folder, holder);
        }
        file.SetLength(0);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        file.Flush(flushToDisk: false);
        return new RunLock(file);
    }

    private static IOException Busy(RunFolder folder, string holder) =>
        new($"{folder} is in use by {holder}, which is training into it; wait for it to finish or stop it " +
            "(Ctrl+C keeps a checkpoint), then try again.");

    private static string Holder(FileStream file)
    {
        var buffer = new byte[32];
        file.Position = 0;
        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, file.Read(buffer)).Trim();
        return int.TryParse(text, out var id) ? $"process {id}" : "another process";
    }

    public void Dispose() => file.Dispose();
}
