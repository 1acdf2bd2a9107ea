using System.Runtime.InteropServices;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>
/// What a benchmark's figures depend on beyond the code: the CPU (vendor,
/// family, model, as the kernel reports them) and the instruction set
/// libtorch's kernels dispatch to on it, so figures from different machines
/// are never mixed up. The same model of PyTorch can diverge on one CPU
/// family and not on another (docs/numerical-trap.md).
/// </summary>
internal static class MachineDescription
{
    /// <summary>"AuthenticAMD family 26 model 2 (AMD EPYC ...), 2 processors", from /proc/cpuinfo; the architecture alone elsewhere.</summary>
    public static string Cpu()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var fields = File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim())
            : [];
        string Field(string key) => fields.GetValueOrDefault(key, "?");
        return fields.Count == 0
            ? $"{RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} processors"
            : $"{Field("vendor_id")} family {Field("cpu family")} model {Field("model")} ({Field("model name")}), {Environment.ProcessorCount} processors";
    }

    /// <summary>
    /// The instruction set ATen dispatches its CPU kernels to in this process
    /// (DEFAULT, AVX2, AVX512...), asked of libtorch itself
    /// (<c>at::get_cpu_capability()</c>, which also honours ATEN_CPU_CAPABILITY);
    /// "unknown" where that call is not available (only Linux x64 is read).
    /// </summary>
    public static string TorchSharpCapability()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 ||
            !NativeLibrary.TryLoad("libtorch_cpu.so", out var library) ||
            !NativeLibrary.TryGetExport(library, "_ZN2at18get_cpu_capabilityB5cxx11Ev", out var function))
            return "unknown";
        return ReadStdString(function);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr StringReturning(IntPtr result);

    /// <summary>Calls a C++ function returning a std::string (libstdc++: pointer, length, 16-byte buffer), passed back through a hidden pointer.</summary>
    private static string ReadStdString(IntPtr function)
    {
        var result = Marshal.AllocHGlobal(32);
        try
        {
            Marshal.GetDelegateForFunctionPointer<StringReturning>(function)(result);
            var length = Marshal.ReadInt64(result, 8);
            // Capability names fit the string's own buffer; anything else is not a std::string this code understands.
            return length is > 0 and < 16 ? Marshal.PtrToStringAnsi(Marshal.ReadIntPtr(result), (int)length) : "unknown";
        }
        finally
        {
            Marshal.FreeHGlobal(result);
        }
    }
}
