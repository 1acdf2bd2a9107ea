using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ImageRestoration;

/// <summary>
/// Loads TorchSharp's own libtorch before anything else can. A system libtorch
/// (Debian's libtorch-dev puts libtorch 1.13 in the default library path) has
/// the same sonames; in a notebook kernel, which takes TorchSharp from the
/// NuGet cache where libLibTorchSharp.so and libtorch sit in different
/// folders, the loader finds that one first and TorchSharp does not load
/// (docs/results.md). Loading ours by full path pins every later lookup of those sonames.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool initialized;

    /// <summary>The native libraries in load order: dependencies first.</summary>
    private static readonly string[] NativeLibraries =
        ["libc10.so", "libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so"];

    /// <summary>Loads the native backend once; later calls return at once.</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (initialized) return;
            KeepLargeAllocations();
            SpinBrieflyBetweenParallelRegions();
            foreach (var path in FindNativeLibraries(Path.GetDirectoryName(typeof(torch).Assembly.Location)) ?? [])
                NativeLibrary.Load(path);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException)
            {
                throw new InvalidOperationException(
                    "TorchSharp's native library did not load. TorchSharp-cpu 0.107.0 needs libstdc++ with GLIBCXX_3.4.32 " +
                    "(GCC 13 or newer; Debian 12 lacks it): run .devcontainer/install-prerequisites.sh. Cause: " + e.Message, e);
            }
            TurnOffNnpack();
            initialized = true;
        }
    }

    /// <summary>
    /// Before every convolution that oneDNN does not run (the float64 ones of
    /// SSIM and of the gradient checks), libtorch asks whether NNPACK, another
    /// convolution library, can; on a CPU NNPACK does not know (an AMD EPYC
    /// family 26 here) each question prints "Could not initialize NNPACK!
    /// Reason: Unsupported hardware.", about 20 lines per evaluation, with
    /// nothing for the user to do. NNPACK never runs a convolution here (oneDNN
    /// takes every float32 one, and NNPACK has no float64), so it is switched
    /// off, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does:
    /// the question is no longer asked, no result changes, and every other
    /// libtorch warning still reaches the console.
    /// </summary>
    private static void TurnOffNnpack()
    {
        if (Nnpack() is not { } nnpack) return;
        nnpack.Set(nnpack.Context, false);
    }

    /// <summary>Whether libtorch may ask NNPACK to run a convolution; null where this cannot be read (not Linux).</summary>
    public static bool? NnpackEnabled()
    {
        Initialize();
        return Nnpack() is { } nnpack ? nnpack.Get(nnpack.Context) : null;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetFlag(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>
    /// libtorch's global context and its NNPACK switch, exported by libtorch_cpu
    /// as C++ symbols (Itanium ABI, so Linux only): <c>at::globalContext()</c>,
    /// <c>at::Context::userEnabledNNPACK() const</c> and <c>setUserEnabledNNPACK(bool)</c>.
    /// </summary>
    private static (IntPtr Context, GetFlag Get, SetFlag Set)? Nnpack()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libtorch_cpu.so", out var library)) return null;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context) ||
            !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledNNPACKEv", out var get) ||
            !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var set)) return null;
        return (Marshal.GetDelegateForFunctionPointer<GlobalContext>(context)(),
            Marshal.GetDelegateForFunctionPointer<GetFlag>(get), Marshal.GetDelegateForFunctionPointer<SetFlag>(set));
    }

    /// <summary>
    /// glibc serves every allocation above 128 KiB-32 MiB (its adaptive mmap
    /// threshold) with a fresh mmap, returns it with munmap and trims the heap
    /// top, so each training batch's activations and gradients page-fault in
    /// anew. Keeping such blocks in the heap lets later batches reuse warm
    /// pages: measured against glibc's defaults (docs/results.md, "Memory"),
    /// a training epoch at one thread took 10 s instead of 36-53 s, with 8x
    /// fewer page faults, and the photo restorer half the time, for no more
    /// peak memory. Memory stays bounded by the largest working set.
    /// </summary>
    private static void KeepLargeAllocations()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            mallopt(MmapThreshold, 32 << 20); // the largest value glibc accepts on 64-bit
            mallopt(TrimThreshold, 256 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, for example): keep its defaults.
        }
    }

    /// <summary>
    /// libtorch's OpenMP threads (GNU libgomp) spin after each parallel region
    /// by default (300,000 rounds). On a machine whose cores are shared (a
    /// notebook beside a build, two experiments at once, CI) the spinning
    /// threads take the cores from the ones with work: measured here under
    /// load, an epoch took 2.5x longer than with passive waiting. Never spinning
    /// (<c>OMP_WAIT_POLICY=PASSIVE</c>) cost 5-10% on an idle machine instead. A
    /// short spin, <c>GOMP_SPINCOUNT=10000</c>, is the middle ground measured:
    /// as fast as spinning on an idle machine, within 10% of passive under load.
    /// Must be set before libgomp loads (it reads the variables once), and only
    /// where the user has chosen neither.
    /// </summary>
    private static void SpinBrieflyBetweenParallelRegions()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null ||
            Environment.GetEnvironmentVariable(SpinCountVariable) is not null) return;
        try
        {
            // .NET keeps its own copy of the environment; the native loader reads libc's.
            setenv(SpinCountVariable, SpinCount, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    private const string SpinCountVariable = "GOMP_SPINCOUNT";
    private const string SpinCount = "10000";

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    /// <summary>
    /// Whether libtorch may be given this many threads: 1 up to this machine's
    /// processors. More only slow it down (999 ran 90x slower), and 2^31-1
    /// aborts in OpenMP.
    /// </summary>
    public static bool IsUsableThreadCount(int threads) => threads >= 1 && threads <= Environment.ProcessorCount;

    /// <summary>
    /// Frees the native scalars that TorchSharp 0.107.0 makes and never
    /// disposes: every <c>double</c> it converts to a <c>Scalar</c> (Adam's
    /// step does several per parameter per batch) holds a small native block
    /// until the garbage collector finalizes it, and training allocates too few
    /// managed bytes for a collection to come on its own. Those small blocks
    /// sit between the freed activations of each batch, so the native heap
    /// cannot reuse them and grows by about 2.5 MB per batch: 1.9 GiB resident
    /// after one epoch of the presentation's model, against 0.7 GiB with this call after
    /// every batch. A gen-0 collection of a heap this small takes microseconds.
    /// (The missing disposals are TorchSharp pull request 1496, not yet released.)
    /// </summary>
    public static void ReleaseUndisposedScalars() => GC.Collect(0, GCCollectionMode.Forced, blocking: false);

    /// <summary>The directory the native libtorch was loaded from, read from the process's memory map.</summary>
    public static string? LoadedLibTorchDirectory()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        var line = File.ReadLines(maps).FirstOrDefault(l => l.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
        return line is null ? null : Path.GetDirectoryName(line[line.IndexOf('/')..]);
    }

    /// <summary>The libtorch that TorchSharp 0.107.0 is built against (TorchSharp-cpu depends on exactly this version).</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>
    /// Full paths of the native libraries for the TorchSharp.dll in <paramref name="torchSharpDirectory"/>,
    /// in load order (dependencies first), or null where they are not all found.
    /// </summary>
    public static string[]? FindNativeLibraries(string? torchSharpDirectory)
    {
        if (string.IsNullOrEmpty(torchSharpDirectory)) return null;
        // An application's output folder holds the natives beside TorchSharp.dll; TorchSharp's own
        // consolidation folder for notebooks is cpu/ beside it.
        string[] together = [torchSharpDirectory, Path.Combine(torchSharpDirectory, "runtimes", RuntimeRid, "native"), Path.Combine(torchSharpDirectory, "cpu")];
        foreach (var directory in together)
            if (NativeLibraries.All(name => File.Exists(Path.Combine(directory, name))))
                return [.. NativeLibraries.Select(name => Path.Combine(directory, name))];
        // A notebook kernel resolves TorchSharp from the NuGet cache (packages/torchsharp/VERSION/lib/net8.0),
        // where the natives sit in two packages. TorchSharp copies them into cpu/ on first use but then
        // fails to load them there (the first notebook on a fresh machine failed; later ones passed),
        // so they are loaded from the packages themselves.
        var torchSharpPackage = Path.GetFullPath(Path.Combine(torchSharpDirectory, "..", ".."));
        var libTorch = Path.Combine(torchSharpPackage, "..", "..", "libtorch-cpu-" + RuntimeRid, LibTorchVersion, "runtimes", RuntimeRid, "native");
        string[] paths = [.. NativeLibraries[..^1].Select(name => Path.GetFullPath(Path.Combine(libTorch, name))),
            Path.Combine(torchSharpPackage, "runtimes", RuntimeRid, "native", NativeLibraries[^1])];
        return paths.All(File.Exists) ? paths : null;
    }

    private static string RuntimeRid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
}
