// Sets up the notebook kernel this repository is tested with, privately, in
// .tools/dotnet-interactive (git ignores .tools/), on Linux, macOS and Windows:
//   dotnet run .devcontainer/setup-kernel.cs
// (setup-kernel.sh runs this same file). Safe to run again: it does nothing
// when the kernel is already there and patched.
//
// Why a private, patched copy:
// - .NET Interactive 1.0.712001 is the last kernel (Polyglot Notebooks and
//   .NET Interactive were deprecated in 2026); the headless runner
//   (lib/ImageRestoration.NotebookRunner), Polyglot Notebooks and Jupyter
//   start it.
// - That kernel ships FSharp.Core 10.0, but Plotly.NET 6.0.0 needs
//   FSharp.Core 10.1.403: in the stock kernel every Plotly.NET call fails with
//   "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'".
//   Replacing FSharp.Core.dll in this private copy with the one from the
//   FSharp.Core 10.1.403 package fixes it (a chart then renders as
//   text/html). A global install is left alone.
// - .vscode/settings.json points Polyglot Notebooks at this copy; for Jupyter
//   (VS Code's Jupyter extension, Jupyter Notebook, nbconvert) it is
//   registered as a private kernelspec, .tools/jupyter/kernels/.net-csharp,
//   which Jupyter finds when JUPYTER_PATH names .tools/jupyter: no kernelspec
//   in the user's or the system's Jupyter folders is written or replaced.
#:property PublishAot=false

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

const string ToolVersion = "1.0.712001";
const string FSharpVersion = "10.1.403";

var root = Path.GetDirectoryName((string)AppContext.GetData("EntryPointFileDirectoryPath")!)!;
Environment.CurrentDirectory = root;
var toolPath = Path.Combine(".tools", "dotnet-interactive");
var kernel = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "dotnet-interactive.exe" : "dotnet-interactive");

try
{
    InstallKernel();
    PatchFSharpCore();
    Run(kernel, "--version");
    Console.WriteLine($"kernel: ready: {Path.GetFullPath(kernel)}");
    WriteKernelspec();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
{
    Console.Error.WriteLine("kernel: " + e.Message);
    return 1;
}

// 1. The kernel, pinned, in a folder of its own.
void InstallKernel()
{
    if (File.Exists(kernel) && Directory.Exists(Path.Combine(toolPath, ".store", "microsoft.dotnet-interactive", ToolVersion)))
    {
        Console.WriteLine($"kernel: Microsoft.dotnet-interactive {ToolVersion} is in {toolPath}.");
        return;
    }
    if (Directory.Exists(toolPath)) Directory.Delete(toolPath, recursive: true);
    Console.WriteLine($"kernel: installing Microsoft.dotnet-interactive {ToolVersion} into {toolPath}");
    Run("dotnet", "tool", "install", "--tool-path", toolPath, "Microsoft.dotnet-interactive", "--version", ToolVersion);
}

// 2. and 3. FSharp.Core 10.1.403 from NuGet (the display library pins it, so
//    restoring it brings the package into the global packages folder) in place
//    of the kernel's FSharp.Core 10.0.
void PatchFSharpCore()
{
    var packages = Run("dotnet", "nuget", "locals", "global-packages", "--list").Trim();
    packages = packages[(packages.IndexOf(':') + 1)..].Trim();
    var replacement = Path.Combine(packages, "fsharp.core", FSharpVersion, "lib", "netstandard2.1", "FSharp.Core.dll");
    if (!File.Exists(replacement))
    {
        Console.WriteLine($"kernel: restoring the display library for FSharp.Core {FSharpVersion}");
        Run("dotnet", "restore", Path.Combine("lib", "ImageRestoration.Display", "ImageRestoration.Display.csproj"));
    }
    if (!File.Exists(replacement)) throw new InvalidOperationException($"{replacement} not found after the restore.");
    var bytes = File.ReadAllBytes(replacement);
    var patched = 0;
    var separator = Path.DirectorySeparatorChar;
    foreach (var dll in Directory.EnumerateFiles(Path.Combine(toolPath, ".store"), "FSharp.Core.dll", SearchOption.AllDirectories)
                 .Where(f => f.Contains($"{separator}tools{separator}", StringComparison.Ordinal)))
    {
        if (File.ReadAllBytes(dll).AsSpan().SequenceEqual(bytes)) continue;
        File.Copy(replacement, dll, overwrite: true);
        patched++;
    }
    Console.WriteLine(patched > 0 ? $"kernel: replaced FSharp.Core.dll with {FSharpVersion} ({patched} file)." : $"kernel: FSharp.Core.dll is {FSharpVersion}.");
}

// 4. The Jupyter kernelspec of this copy: the kernel's own (from `jupyter
//    install --path`), with the private kernel in place of the global tool
//    and the OpenMP wait policy the runner also sets (spinning threads slow
//    training on a busy machine). The name stays .net-csharp, the one the
//    notebooks' metadata asks for.
void WriteKernelspec()
{
    var jupyter = Path.GetFullPath(Path.Combine(".tools", "jupyter"));
    var spec = Path.Combine(jupyter, "kernels", ".net-csharp");
    var generated = Directory.CreateTempSubdirectory("kernelspec-");
    try
    {
        Run(kernel, "jupyter", "install", "--path", generated.FullName);
        var source = Path.Combine(generated.FullName, ".net-csharp");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "kernel.json")))!.AsObject();
        var argv = json["argv"]!.AsArray().Select(a => (string)a!).ToList();
        var jupyterVerb = argv.IndexOf("jupyter"); // the stock spec starts "dotnet", "interactive", "jupyter"
        json["argv"] = new JsonArray([Path.GetFullPath(kernel), .. argv.Skip(jupyterVerb).Select(a => (JsonNode?)JsonValue.Create(a))]);
        json["display_name"] = ".NET (C#) - ImageRestoration, pinned";
        json["env"] = new JsonObject { ["OMP_WAIT_POLICY"] = "PASSIVE" };
        json.Remove("metadata"); // it names the Polyglot Notebooks extension, which is not what starts this kernel
        Directory.CreateDirectory(spec);
        foreach (var logo in Directory.GetFiles(source, "*.png")) File.Copy(logo, Path.Combine(spec, Path.GetFileName(logo)), overwrite: true);
        File.WriteAllText(Path.Combine(spec, "kernel.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
    finally
    {
        generated.Delete(recursive: true);
    }
    Console.WriteLine($"kernel: Jupyter kernelspec .net-csharp in {Path.Combine(jupyter, "kernels")}; Jupyter finds it with JUPYTER_PATH={jupyter}");
}

// A command's standard output; its failure is an error naming the command.
static string Run(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} failed (exit code {process.ExitCode}): {error.Result.Trim()}");
    return output;
}
