using ImageRestoration.Data;

namespace ImageRestoration.Tests;

/// <summary>A temporary folder, deleted with everything in it when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ir-test-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Small MNIST-shaped data sets written by the tests themselves.</summary>
public static class TinyMnist
{
    /// <summary>Writes the four standard files with <paramref name="train"/> and <paramref name="test"/> images whose pixel (i, r, c) is (i + r + c) mod 256.</summary>
    /// <remarks>A non-zero <paramref name="shift"/> adds to every pixel: a data set of the same shape with other content.</remarks>
    public static void Write(string directory, int train = 12, int test = 5, int size = 28, bool gzip = true, int shift = 0)
    {
        var suffix = gzip ? ".gz" : "";
        IdxFile.Write(Path.Combine(directory, MnistFiles.TrainImages + suffix), [train, size, size], Pixels(train, size, shift));
        IdxFile.Write(Path.Combine(directory, MnistFiles.TrainLabels + suffix), [train], Labels(train));
        IdxFile.Write(Path.Combine(directory, MnistFiles.TestImages + suffix), [test, size, size], Pixels(test, size, shift));
        IdxFile.Write(Path.Combine(directory, MnistFiles.TestLabels + suffix), [test], Labels(test));
    }

    public static byte[] Pixels(int count, int size, int shift = 0) =>
        Enumerable.Range(0, count * size * size).Select(k => (byte)((k / (size * size) + k % (size * size) / size + k % size + shift) % 256)).ToArray();

    public static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
}

/// <summary>
/// The real MNIST that the tests need: <c>IMAGE_RESTORATION_DATA</c> if set,
/// else <c>../shared/data/mnist</c> beside the repository (as on CI).
/// </summary>
public static class SharedMnist
{
    public static string Directory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment) && MnistFiles.IsComplete(fromEnvironment)) return fromEnvironment;
            var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("Run the tests inside the repository.");
            var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "data", "mnist"));
            if (MnistFiles.IsComplete(shared)) return shared;
            throw new InvalidOperationException(
                $"These tests need real MNIST: put the four files in {shared} or set {DataLocator.EnvironmentVariable}.");
        }
    }
}

/// <summary>Real MNIST loaded once for every test class that shares it.</summary>
public sealed class MnistFixture : IDisposable
{
    public MnistFixture()
    {
        Train = ImageDataset.Load(SharedMnist.Directory, DatasetSplit.Train);
        Test = ImageDataset.Load(SharedMnist.Directory, DatasetSplit.Test);
    }

    public ImageDataset Train { get; }
    public ImageDataset Test { get; }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MnistCollection : ICollectionFixture<MnistFixture>
{
    public const string Name = "Real MNIST";
}

/// <summary>The kit's C# sources under lib/ (not the build output), for the tests that read the code itself.</summary>
public static class LibrarySources
{
    /// <summary>Each source file's path relative to lib/ (with '/') and its full path.</summary>
    public static IEnumerable<(string File, string Path)> All()
    {
        var lib = Path.Combine(RepositoryRoot.Find() ?? throw new InvalidOperationException("Run the tests inside the repository."), "lib");
        return Directory.EnumerateFiles(lib, "*.cs", SearchOption.AllDirectories)
            .Select(path => (File: Path.GetRelativePath(lib, path).Replace(Path.DirectorySeparatorChar, '/'), Path: path))
            .Where(source => !source.File.Split('/').Any(part => part is "obj" or "bin"));
    }
}
