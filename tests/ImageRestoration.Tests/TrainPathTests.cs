using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ImageRestoration.Tests;

/// <summary>
/// How much of the house one <c>train</c> runs: the files under lib/ that
/// declare a type of the kit whose code the JIT compiled during a training
/// through the command line (the runtime lists every method it compiles when
/// asked with <c>DOTNET_JitStdOutFile</c> and <c>DOTNET_JitDisasmSummary</c>).
/// A reader who follows a training reads these files; the ceiling keeps the
/// path from growing back unseen.
/// </summary>
public sealed class TrainPathTests
{
    public const int MostFiles = 25;

    [Fact]
    public void ATrainingRunsCodeFromAtMost25Files()
    {
        var files = FilesATrainingRuns();

        Assert.True(files.Count <= MostFiles,
            $"A training runs code from {files.Count} files, more than {MostFiles}:" + Environment.NewLine + string.Join(Environment.NewLine, files));
    }

    [Fact]
    public void TheCountSeesTheWholePathAndOnlyTheCommandThatRan()
    {
        var files = FilesATrainingRuns();

        // A count that read nothing would pass the test above: it must see the command line, the core and the pages.
        Assert.Contains("ImageRestoration.Cli/Program.cs", files);
        Assert.Contains("ImageRestoration/Training/Trainer.cs", files);
        Assert.Contains("ImageRestoration/Models/Autoencoder.cs", files);
        Assert.Contains("ImageRestoration.Display/Charts/RunPages.cs", files);
        Assert.DoesNotContain("ImageRestoration.Cli/StudyCommand.cs", files);
    }

    private static List<string>? cached;

    /// <summary>One small training (one epoch of 1,500 images), run once for both tests.</summary>
    private static List<string> FilesATrainingRuns()
    {
        if (cached is not null) return cached;
        using var workspace = new CliWorkspace(testImages: 200);
        var jitList = Path.Combine(workspace.Path, "jit.txt");
        var (code, output) = CliProcess.Run(workspace.Train(epochs: 1, workspace.Data),
            environment: new Dictionary<string, string?> { ["DOTNET_JitStdOutFile"] = jitList, ["DOTNET_JitDisasmSummary"] = "1" });
        Assert.True(code == 0, output);
        var declaring = DeclaringFiles();
        return cached = CompiledTypes(File.ReadAllText(jitList))
            .Select(type => declaring.GetValueOrDefault(type)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The kit's top-level types with compiled code: "ImageRestoration.Training.Trainer+&lt;&gt;c:.ctor()" is Trainer's.</summary>
    private static IEnumerable<string> CompiledTypes(string jitList) =>
        Regex.Matches(jitList, @"JIT compiled (ImageRestoration[\w.]*?)[+`:\[]").Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Each top-level type under lib/ by its full name, with its file (relative to lib/).</summary>
    private static Dictionary<string, string> DeclaringFiles()
    {
        var declaring = new Dictionary<string, string>();
        foreach (var (file, path) in LibrarySources.All())
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            var space = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            foreach (var type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Parent is not BaseTypeDeclarationSyntax))
                declaring[$"{space}.{type.Identifier.Text}"] = file;
        }
        return declaring;
    }
}
