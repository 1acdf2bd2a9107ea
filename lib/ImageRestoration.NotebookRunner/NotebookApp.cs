using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// A notebook written as a .NET 10 file-based app (<c>apps/NN-name.cs</c>
/// next to it, run with <c>dotnet run</c>): its Markdown as // comments, its
/// code cells in order, the parameters cell at the top, <c>#:project</c> to
/// the display library in place of the setup's <c>#r</c> lines. A cell is C#
/// script; an app is a C# program, so the cells are read as script (Roslyn)
/// and three things move: using directives to the top, type declarations to
/// the end, and a cell's closing expression, which the kernel displays,
/// becomes <c>display(...)</c> (FileDisplay in the display library: figures
/// as PNG files next to the app).
/// </summary>
public static class NotebookApp
{
    public const string SetupImport = "#!import setup.dib";

    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>Where a notebook's app goes: <c>apps/NAME.cs</c> in the notebook's folder.</summary>
    public static string PathFor(string notebook) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notebook))!, "apps", Path.GetFileNameWithoutExtension(notebook) + ".cs");

    /// <summary>
    /// The app's text. Throws <see cref="InvalidDataException"/> naming the cell
    /// when a cell is not C# the app can hold (a syntax error, a magic command other than the setup's import).
    /// </summary>
    public static string Generate(JsonObject notebook, string notebookPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var name = Path.GetFileName(notebookPath);
        var cells = (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var usings = new List<string>();
        var types = new List<string>();
        var body = new StringBuilder();
        var parameters = "";
        for (var index = 0; index < cells.Count; index++)
        {
            var cell = cells[index];
            var source = NotebookPage.Source(cell["source"]).Replace("\r\n", "\n").TrimEnd();
            if ((string?)cell["cell_type"] == "markdown")
            {
                body.Append(string.Concat(source.Split('\n').Select(line => (line.Length > 0 ? "// " + line : "//") + "\n"))).Append('\n');
                continue;
            }
            if ((string?)cell["cell_type"] != "code" || ParameterCell.HasTag(cell, ParameterCell.InjectedTag) || source.Length == 0) continue;
            var where = $"{name}, cell {index + 1}";
            if (source.Trim() == SetupImport)
            {
                body.Append("// The notebook's `#!import setup.dib`: the libraries (#:project above), their namespaces (the usings above),\n")
                    .Append("// and figures written as PNG files in a folder named like this app, next to it.\n")
                    .Append("FileDisplay.Start();\n")
                    .Append(Convert(Setup(folder), $"{name}: setup.dib", usings, types)).Append("\n\n");
                continue;
            }
            var code = Convert(source, where, usings, types);
            if (ParameterCell.HasTag(cell, ParameterCell.Tag)) parameters = code;
            else body.Append(code).Append("\n\n");
        }

        var app = new StringBuilder();
        app.Append($"// {name} as a .NET file-based app, written by notebook-runner --write-apps from ../{name}: edit the notebook,\n")
           .Append("// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).\n")
           .Append($"// Run: dotnet run {Path.GetFileName(folder)}/apps/{Path.GetFileNameWithoutExtension(name)}.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).\n")
           .Append("#:project ../../lib/ImageRestoration.Display/ImageRestoration.Display.csproj\n")
           .Append("#:property RuntimeIdentifier=$(NETCoreSdkRuntimeIdentifier)\n")
           .Append("#:property PublishAot=false\n\n");
        foreach (var directive in usings.Distinct()) app.Append(directive).Append('\n');
        app.Append("using static ImageRestoration.Notebooks.FileDisplay;\n\n");
        if (parameters.Length > 0) app.Append("// Parameters: the notebook's cell tagged \"parameters\". Edit them here.\n").Append(parameters).Append("\n\n");
        app.Append(body.ToString().TrimEnd()).Append('\n');
        foreach (var type in types) app.Append('\n').Append(type).Append('\n');
        return app.ToString();
    }

    /// <summary>The C# cell of the notebooks' setup.dib, without its #r lines (the app's #:project brings the libraries).</summary>
    private static string Setup(string folder)
    {
        var path = Path.Combine(folder, "setup.dib");
        if (!File.Exists(path)) throw new InvalidDataException($"{path} is missing: the notebooks import it.");
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var start = text.IndexOf("#!csharp\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidDataException($"{path} has no #!csharp cell.");
        var csharp = text[(start + "#!csharp\n".Length)..];
        var end = csharp.IndexOf("\n#!", StringComparison.Ordinal);
        if (end >= 0) csharp = csharp[..end];
        return string.Join("\n", csharp.Split('\n').Where(line => !line.StartsWith("#r ", StringComparison.Ordinal) && !line.StartsWith("//", StringComparison.Ordinal))).Trim();
    }

    /// <summary>A cell as program statements: its usings and types taken out (into the lists), its closing expression displayed.</summary>
    private static string Convert(string source, string where, List<string> usings, List<string> types)
    {
        if (source.Split('\n').FirstOrDefault(line => line.TrimStart().StartsWith("#!", StringComparison.Ordinal) || line.TrimStart().StartsWith("#r ", StringComparison.Ordinal)) is { } magic)
            throw new InvalidDataException($"{where}: '{magic.Trim()}' has no file-based app equivalent.");
        var text = SourceText.From(source);
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(text, Script).GetRoot();
        if (root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            throw new InvalidDataException($"{where}: {error.GetMessage()} (line {error.Location.GetLineSpan().StartLinePosition.Line + 1})");
        var changes = new List<TextChange>();
        foreach (var directive in root.Usings)
        {
            usings.Add(directive.WithoutTrivia().ToFullString());
            changes.Add(new TextChange(directive.FullSpan, ""));
        }
        foreach (var member in root.Members)
        {
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax)
            {
                types.Add(member.ToFullString().Trim('\n'));
                changes.Add(new TextChange(member.FullSpan, ""));
            }
        }
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } shown })
            changes.Add(new TextChange(shown.Expression.Span, $"display({shown.Expression});"));
        return text.WithChanges(changes).ToString().Trim('\n');
    }
}
