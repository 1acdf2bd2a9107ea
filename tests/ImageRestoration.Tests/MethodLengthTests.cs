using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ImageRestoration.Tests;

/// <summary>
/// No method under lib/ is longer than <see cref="MostLines"/> lines, counted
/// from its signature (after its attributes) to its closing brace: a longer
/// one is split into helpers named for its steps. Methods, constructors,
/// operators, accessors and local functions all count; a local function's
/// lines also count for the method around it.
/// </summary>
public sealed class MethodLengthTests
{
    public const int MostLines = 50;

    [Fact]
    public void NoMethodUnderLibIsLongerThanFiftyLines()
    {
        var tooLong = Methods().Where(m => m.Lines > MostLines)
            .OrderByDescending(m => m.Lines).Select(m => $"{m.File}: {m.Name}, {m.Lines} lines").ToList();

        Assert.True(tooLong.Count == 0,
            $"Methods over {MostLines} lines (split them into steps):" + Environment.NewLine + string.Join(Environment.NewLine, tooLong));
    }

    [Fact]
    public void TheScanFindsTheLibrariesMethods()
    {
        var methods = Methods();

        // A scan that read nothing would pass the test above: it must see every project and their methods.
        Assert.Contains(methods, m => m.File.StartsWith("ImageRestoration/", StringComparison.Ordinal));
        Assert.Contains(methods, m => m.File.StartsWith("ImageRestoration.Cli/", StringComparison.Ordinal) && m.Name == "Program.Main");
        Assert.Contains(methods, m => m.File.StartsWith("ImageRestoration.NotebookRunner/", StringComparison.Ordinal) && m.Name == "Program.Main");
        Assert.Contains(methods, m => m.File.StartsWith("ImageRestoration.Display/", StringComparison.Ordinal));
        Assert.True(methods.Count > 500, $"Only {methods.Count} methods found under lib/.");
    }

    [Fact]
    public void LinesAreCountedFromTheSignatureToTheClosingBrace()
    {
        const string source = """
            class C
            {
                /// <summary>Not counted.</summary>
                [Obsolete]
                public int
                    M(int a)
                {
                    return a;
                }
            }
            """;

        var method = Assert.Single(Measure("c.cs", source));

        Assert.Equal(("C.M", 5), (method.Name, method.Lines));
    }

    private sealed record Method(string File, string Name, int Lines);

    private static List<Method> Methods() =>
        LibrarySources.All().SelectMany(source => Measure(source.File, File.ReadAllText(source.Path))).ToList();

    private static IEnumerable<Method> Measure(string file, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (!IsMethodLike(node)) continue;
            var first = FirstSignatureToken(node);
            var lines = tree.GetLineSpan(node.Span).EndLinePosition.Line - tree.GetLineSpan(first.Span).StartLinePosition.Line + 1;
            yield return new Method(file, Name(node), lines);
        }
    }

    private static bool IsMethodLike(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
        || node is PropertyDeclarationSyntax { ExpressionBody: not null };

    /// <summary>The signature's first token: after the attributes, whose lines are not the method's.</summary>
    private static SyntaxToken FirstSignatureToken(SyntaxNode node)
    {
        var attributes = node switch
        {
            MemberDeclarationSyntax member => member.AttributeLists,
            LocalFunctionStatementSyntax local => local.AttributeLists,
            AccessorDeclarationSyntax accessor => accessor.AttributeLists,
            _ => default,
        };
        return attributes.Count == 0 ? node.GetFirstToken() : attributes.Last().GetLastToken().GetNextToken();
    }

    private static string Name(SyntaxNode node)
    {
        var own = node switch
        {
            MethodDeclarationSyntax method => method.Identifier.Text,
            ConstructorDeclarationSyntax constructor => constructor.Identifier.Text,
            DestructorDeclarationSyntax destructor => "~" + destructor.Identifier.Text,
            OperatorDeclarationSyntax op => "operator " + op.OperatorToken.Text,
            ConversionOperatorDeclarationSyntax conversion => "operator " + conversion.Type,
            LocalFunctionStatementSyntax local => local.Identifier.Text,
            AccessorDeclarationSyntax accessor => accessor.Keyword.Text,
            PropertyDeclarationSyntax property => property.Identifier.Text,
            _ => node.Kind().ToString(),
        };
        var outer = node.Ancestors().Select(a => a switch
        {
            BaseTypeDeclarationSyntax type => type.Identifier.Text,
            MethodDeclarationSyntax method => method.Identifier.Text,
            LocalFunctionStatementSyntax local => local.Identifier.Text,
            PropertyDeclarationSyntax property => property.Identifier.Text,
            _ => null,
        }).OfType<string>().Reverse();
        return string.Join(".", outer.Append(own));
    }
}
