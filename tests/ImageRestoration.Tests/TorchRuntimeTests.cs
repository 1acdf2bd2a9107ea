namespace ImageRestoration.Tests;

/// <summary>Where the native libraries are found, for an application's output folder and for a notebook kernel's NuGet cache.</summary>
public sealed class TorchRuntimeTests : IDisposable
{
    private static readonly string[] LibTorch = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void FindsTheNativesBesideTorchSharpFirst()
    {
        var output = Touch(temp.Path, [.. LibTorch, "libLibTorchSharp.so"]);
        var found = TorchRuntime.FindNativeLibraries(output);
        Assert.NotNull(found);
        Assert.Equal([.. LibTorch.Select(n => Path.Combine(output, n)), Path.Combine(output, "libLibTorchSharp.so")], found);
    }

    [Fact]
    public void FindsTheNativesInTheNuGetPackagesOfANotebookKernel()
    {
        // packages/torchsharp/0.107.0/lib/net8.0/TorchSharp.dll, its runtimes folder, and the libtorch package beside it.
        var torchSharp = Directory.CreateDirectory(Path.Combine(temp.Path, "torchsharp", "0.107.0", "lib", "net8.0")).FullName;
        var bindings = Touch(Path.Combine(temp.Path, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native"), ["libLibTorchSharp.so"]);
        var libTorch = Touch(Path.Combine(temp.Path, "libtorch-cpu-linux-x64", TorchRuntime.LibTorchVersion, "runtimes", "linux-x64", "native"), LibTorch);

        var found = TorchRuntime.FindNativeLibraries(torchSharp);
        Assert.NotNull(found);
        Assert.Equal([.. LibTorch.Select(n => Path.Combine(libTorch, n)), Path.Combine(bindings, "libLibTorchSharp.so")], found);

        File.Delete(Path.Combine(libTorch, "libtorch_cpu.so"));
        Assert.Null(TorchRuntime.FindNativeLibraries(torchSharp));
    }

    [Fact]
    public void TheRestoredLibTorchPackageIsTheVersionTorchSharpNeeds()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var restored = Directory.GetDirectories(Path.Combine(packages, "libtorch-cpu-linux-x64")).Select(Path.GetFileName);
        Assert.Contains(TorchRuntime.LibTorchVersion, restored);
    }

    private static string Touch(string directory, IEnumerable<string> names)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in names) File.WriteAllBytes(Path.Combine(directory, name), []);
        return directory;
    }
}
