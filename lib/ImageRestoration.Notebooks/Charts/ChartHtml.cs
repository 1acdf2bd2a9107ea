using Microsoft.FSharp.Core;
using Plotly.NET;

namespace ImageRestoration.Charts;

/// <summary>How a standalone chart page gets plotly.js, the script that draws it.</summary>
public enum PlotlyScript
{
    /// <summary>
    /// From a copy of plotly.js written once beside the page (about 3.6 MB,
    /// shared by every page in the folder): works offline while the two stay
    /// together. The default.
    /// </summary>
    Beside,

    /// <summary>Inside the page itself: one self-contained file of about 3.6 MB that works anywhere offline.</summary>
    Embedded,

    /// <summary>From the plotly.js CDN: a small page that needs the network to draw.</summary>
    Cdn,
}

/// <summary>
/// Charts as standalone HTML pages, for run folders and reports.
/// What needs the network: only <see cref="PlotlyScript.Cdn"/> pages, and
/// charts shown inside a notebook (Plotly.NET.Interactive's formatter loads
/// plotly.js from the CDN through require.js, in VS Code and in an executed
/// copy opened in a browser). Plotly.NET ships plotly.js inside its own
/// assembly, so <see cref="PlotlyScript.Beside"/> and
/// <see cref="PlotlyScript.Embedded"/> pages need nothing from outside.
/// </summary>
public static class ChartHtml
{
    private static readonly object Gate = new();

    /// <summary>The plotly.js version Plotly.NET draws with.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>The file name of the plotly.js copy that <see cref="PlotlyScript.Beside"/> pages load.</summary>
    public static string PlotlyJsFileName => $"plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The chart's HTML fragment (a div and its script), as a notebook shows it.</summary>
    public static string Fragment(GenericChart chart) => GenericChart.toChartHTML(chart);

    /// <summary>A whole HTML page that draws the chart, its plotly.js referenced as <paramref name="script"/> says.</summary>
    public static string Page(GenericChart chart, PlotlyScript script = PlotlyScript.Beside, string? title = null)
    {
        var reference = script switch
        {
            PlotlyScript.Beside => PlotlyJSReference.NewCDN(PlotlyJsFileName), // a relative URL: the file beside the page
            PlotlyScript.Embedded => PlotlyJSReference.Full,
            _ => PlotlyJSReference.NewCDN($"https://cdn.plot.ly/{PlotlyJsFileName}"),
        };
        var options = DisplayOptions.init(title is null ? null : FSharpOption<string>.Some(title), null, null, null, null, null,
            FSharpOption<PlotlyJSReference>.Some(reference));
        return GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, chart));
    }

    /// <summary>
    /// Writes the chart as an HTML page (atomically) and, for
    /// <see cref="PlotlyScript.Beside"/>, plotly.js beside it if it is not
    /// there yet. Returns the page's full path.
    /// </summary>
    public static string Save(GenericChart chart, string path, PlotlyScript script = PlotlyScript.Beside, string? title = null)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        if (script == PlotlyScript.Beside) WritePlotlyJs(folder);
        AtomicFile.WriteAllText(fullPath, Page(chart, script, title ?? Path.GetFileNameWithoutExtension(fullPath)));
        return fullPath;
    }

    /// <summary>Writes the plotly.js that Plotly.NET carries into <paramref name="folder"/> (once) and returns its path.</summary>
    public static string WritePlotlyJs(string folder)
    {
        var target = Path.Combine(folder, PlotlyJsFileName);
        lock (Gate)
        {
            using var resource = typeof(GenericChart).Assembly.GetManifestResourceStream($"Plotly.NET.{PlotlyJsFileName}")
                                 ?? throw new InvalidOperationException($"Plotly.NET carries no {PlotlyJsFileName}.");
            if (File.Exists(target) && new FileInfo(target).Length == resource.Length) return target;
            var temporary = target + ".tmp";
            using (var file = File.Create(temporary))
                resource.CopyTo(file);
            File.Move(temporary, target, overwrite: true);
        }
        return target;
    }
}
