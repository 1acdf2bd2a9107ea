using System.Text.Json.Nodes;
using ImageRestoration.NotebookRunner;

namespace ImageRestoration.Tests;

/// <summary>The runner's HTML page of an executed notebook: prose, code and outputs, self-contained.</summary>
public sealed class NotebookPageTests
{
    internal static JsonObject Notebook(params JsonObject[] cells) => new() { ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()) };

    internal static JsonObject Markdown(string source) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };

    internal static JsonObject Code(string source, int count, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = source, ["execution_count"] = count,
        ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()),
    };

    internal static JsonObject Display(string mime, string value) =>
        new() { ["output_type"] = "display_data", ["data"] = new JsonObject { [mime] = value }, ["metadata"] = new JsonObject() };

    [Fact]
    public void ThePageHoldsTheProseTheCodeAndTheOutputs()
    {
        var notebook = Notebook(
            Markdown("# Clean training\n\nThis notebook **trains**.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nNext: [05](05-denoising.ipynb), [site](https://example.org/x.ipynb)"),
            Code("var x = 1 < 2;\nx", 1,
                new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "Epoch 1/2 <ok>\n" },
                Display("text/html", "<b id=\"chart\">chart</b>"),
                Display("image/png", "iVBORw0KGgo="),
                Display("text/plain", "plain & simple")),
            Code("throw new Exception();", 2,
                new JsonObject { ["output_type"] = "error", ["ename"] = "Exception", ["evalue"] = "boom", ["traceback"] = new JsonArray("\u001b[31mException: boom") }));

        var page = NotebookPage.Of(notebook, "04-clean-training");

        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<title>Clean training</title>", page);
        Assert.Contains("<h1 id=\"clean-training\">Clean training</h1>", page);
        Assert.Contains("<strong>trains</strong>", page);
        Assert.Contains("<table>", page);
        Assert.Contains("href=\"05-denoising.html\"", page); // the next notebook's page, beside this one
        Assert.Contains("href=\"https://example.org/x.ipynb\"", page); // a link out stays as it is
        Assert.Contains("In [1]:", page);
        Assert.Contains("var x = 1 &lt; 2;", page);
        Assert.Contains("Epoch 1/2 &lt;ok&gt;", page);
        Assert.Contains("<b id=\"chart\">chart</b>", page);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\"", page);
        Assert.Contains("plain &amp; simple", page);
        Assert.Contains("<pre class=\"error\">Exception: boom</pre>", page);
        // Self-contained: no stylesheet, script or picture from elsewhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//(?!example.org)", page);
        Assert.DoesNotContain("<link", page);
    }
}
