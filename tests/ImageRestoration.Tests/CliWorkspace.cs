using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// A temporary folder for tests that train through the command line: tiny
/// MNIST in <see cref="Data"/>, run folders in <see cref="Runs"/>, and the
/// small, fast training they run (1,500 images in batches of 16 on one thread).
/// </summary>
public sealed class CliWorkspace : IDisposable
{
    private readonly TempDirectory temp = new();

    public CliWorkspace(int testImages)
    {
        Directory.CreateDirectory(Data);
        TinyMnist.Write(Data, train: 1500, test: testImages);
    }

    public string Path => temp.Path;
    public string Data => temp.File("data");
    public string Runs => temp.File("runs");

    /// <summary>The presentation model's run folder in <see cref="Runs"/> ("none" until a child makes it).</summary>
    public RunFolder Folder => CliProcess.RunFolderIn(Runs);

    /// <summary><c>train</c>'s arguments for this workspace, one line per epoch; with <paramref name="data"/> null the child finds the data itself.</summary>
    public string[] Train(int epochs, string? data) =>
        ["train", "--epochs", epochs.ToString(), .. data is null ? Array.Empty<string>() : ["--data", data],
         "--set", $"logDirectory={Runs}", "--set", "batchSize=16", "--set", "verbosity=2", "--set", "threads=1"];

    /// <summary>
    /// Epochs whose saving is over: the rows of <c>history.csv</c>, the last file an epoch writes
    /// (after the checkpoint and <c>history.json</c>), so a child stopped after this returns is stopped
    /// in the next epoch, not while the last one is still being written; 0 while there is none.
    /// </summary>
    public int CompletedEpochs() =>
        File.Exists(Folder.HistoryCsvFile) ? File.ReadAllLines(Folder.HistoryCsvFile).Length - 1 : 0;

    public void Dispose() => temp.Dispose();
}
