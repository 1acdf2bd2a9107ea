using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// An executed notebook as one self-contained HTML page that opens offline in
/// any browser: the prose rendered from Markdown (Markdig), each code cell with
/// its outputs (HTML as it is, pictures inline as data URIs, text as text).
/// It references no file and no server: styles are inline, pictures are
/// inside the outputs. Links to other notebooks point at their pages.
/// </summary>
public static partial class NotebookPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style =
        """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; background: #fff; color: #1b1b1b; }
        main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
        .markdown { line-height: 1.5; }
        .markdown table { border-collapse: collapse; } .markdown td, .markdown th { border: 1px solid #ccc; padding: 2px 8px; }
        .cell { margin: 12px 0; }
        .source { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 8px 10px; overflow-x: auto; margin: 0; }
        .prompt { color: #6a737d; font: 12px monospace; margin-bottom: 2px; }
        .output { margin: 6px 0 0 0; overflow-x: auto; }
        .output pre { margin: 0; padding: 4px 10px; white-space: pre-wrap; }
        .output table { border-collapse: collapse; font-size: 13px; } .output td, .output th { border: 1px solid #ddd; padding: 2px 8px; }
        .stderr, .error { background: #fff5f5; color: #8b0000; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
        """;

    /// <summary>The page of <paramref name="notebook"/> (nbformat 4), titled by its first heading or <paramref name="fallbackTitle"/>.</summary>
    public static string Of(JsonObject notebook, string fallbackTitle)
    {
        var cells = (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var body = new StringBuilder();
        string? title = null;
        foreach (var cell in cells)
        {
            var source = Source(cell["source"]);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    title ??= HeadingPattern().Match(source) is { Success: true } heading ? heading.Groups[1].Value.Trim() : null;
                    body.Append("<section class=\"cell markdown\">").Append(Links(Markdig.Markdown.ToHtml(source, Markdown))).Append("</section>\n");
                    break;
                case "code":
                    var count = cell["execution_count"]?.GetValue<int?>();
                    body.Append("<section class=\"cell code\"><div class=\"prompt\">In [")
                        .Append(count?.ToString(CultureInfo.InvariantCulture) ?? " ").Append("]:</div>")
                        .Append("<pre class=\"source\"><code>").Append(WebUtility.HtmlEncode(source)).Append("</code></pre>");
                    foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
                        body.Append("<div class=\"output\">").Append(Output(output)).Append("</div>");
                    body.Append("</section>\n");
                    break;
                default:
                    body.Append("<pre>").Append(WebUtility.HtmlEncode(source)).Append("</pre>\n");
                    break;
            }
        }
        return $"""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{WebUtility.HtmlEncode(title ?? fallbackTitle)}</title>
                <style>{Style}</style>
                </head>
                <body>
                <main>
                {body}</main>
                </body>
                </html>

                """;
    }

    /// <summary>Writes the page of the notebook at <paramref name="notebookPath"/> beside it as NAME.html (atomically); returns its path.</summary>
    public static string Write(JsonObject notebook, string notebookPath)
    {
        var page = Path.ChangeExtension(notebookPath, ".html");
        File.WriteAllText(page + ".tmp", Of(notebook, Path.GetFileNameWithoutExtension(notebookPath)));
        File.Move(page + ".tmp", page, overwrite: true);
        return page;
    }

    /// <summary>One output: the richest form the page can show as it is.</summary>
    private static string Output(JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                var name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"{name}\">{WebUtility.HtmlEncode(Source(output["text"]))}</pre>";
            case "error":
                var traceback = string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(l => (string?)l));
                return $"<pre class=\"error\">{WebUtility.HtmlEncode(AnsiPattern().Replace(traceback.Length > 0 ? traceback : $"{output["ename"]}: {output["evalue"]}", ""))}</pre>";
        }
        var data = output["data"] as JsonObject ?? [];
        if (data["text/html"] is { } html) return Source(html);
        if (data["image/png"] is { } png) return $"<img src=\"data:image/png;base64,{Source(png).Trim()}\" alt=\"figure\">";
        if (data["image/svg+xml"] is { } svg) return Source(svg);
        if (data["text/markdown"] is { } markdown) return Markdig.Markdown.ToHtml(Source(markdown), Markdown);
        if (data["text/plain"] is { } text) return $"<pre>{WebUtility.HtmlEncode(Source(text))}</pre>";
        return "";
    }

    /// <summary>Links to other notebooks (NAME.ipynb) point at their pages (NAME.html), which the runner writes beside this one.</summary>
    private static string Links(string html) => NotebookLinkPattern().Replace(html, "href=\"$1.html$2\"");

    /// <summary>A notebook string: one string, or an array of lines.</summary>
    internal static string Source(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    [GeneratedRegex(@"^#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex("href=\"(?!https?:)([^\"#]+)\\.ipynb(#[^\"]*)?\"")]
    private static partial Regex NotebookLinkPattern();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiPattern();
}
