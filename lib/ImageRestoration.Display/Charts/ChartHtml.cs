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
/// Charts as HTML: standalone pages for run folders and reports, and the
/// output a notebook shows (<see cref="NotebookOutput"/>). Only
/// <see cref="PlotlyScript.Cdn"/> pages need the network: Plotly.NET ships
/// plotly.js inside its own assembly, and everything else takes it from there.
/// </summary>
public static class ChartHtml
{
    private static readonly object Gate = new();

    /// <summary>The plotly.js version Plotly.NET draws with.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>The file name of the plotly.js copy that <see cref="PlotlyScript.Beside"/> pages load.</summary>
    public static string PlotlyJsFileName => $"plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The chart's HTML fragment (a div and its script), as a notebook shows it.</summary>
    public static string Fragment(ChartDescription chart) => GenericChart.toChartHTML(PlotlyChart.Of(chart));

    /// <summary>A whole HTML page that draws the chart, its plotly.js referenced as <paramref name="script"/> says.</summary>
    public static string Page(ChartDescription chart, PlotlyScript script = PlotlyScript.Beside, string? title = null)
    {
        var reference = script switch
        {
            PlotlyScript.Beside => PlotlyJSReference.NewCDN(PlotlyJsFileName), // a relative URL: the file beside the page
            PlotlyScript.Embedded => PlotlyJSReference.Full,
            _ => PlotlyJSReference.NewCDN($"https://cdn.plot.ly/{PlotlyJsFileName}"),
        };
        var options = DisplayOptions.init(title is null ? null : FSharpOption<string>.Some(title), null, null, null, null, null,
            FSharpOption<PlotlyJSReference>.Some(reference));
        return GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, PlotlyChart.Of(chart)));
    }

    /// <summary>
    /// Writes the chart as an HTML page (atomically) and, for
    /// <see cref="PlotlyScript.Beside"/>, plotly.js beside it if it is not
    /// there yet. Returns the page's full path.
    /// </summary>
    public static string Save(ChartDescription chart, string path, PlotlyScript script = PlotlyScript.Beside, string? title = null)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        if (script == PlotlyScript.Beside) WritePlotlyJs(folder);
        AtomicFile.WriteAllText(fullPath, Page(chart, script, title ?? Path.GetFileNameWithoutExtension(fullPath)));
        return fullPath;
    }

    /// <summary>
    /// Marks the script element that carries plotly.js inside a notebook
    /// output. The notebook runner removes that element from executed copies
    /// (a committed notebook holds no copy of plotly.js), and CI rejects a
    /// committed notebook that still has one.
    /// </summary>
    public const string PlotlyJsMarker = "data-image-restoration=\"plotly.js\"";

    /// <summary>The event sent once plotly.js has run, for charts drawn before it arrived.</summary>
    private const string PlotlyReadyEvent = "image-restoration-plotly";

    private static int plotlyJsSent;
    private static int outputs;

    /// <summary>
    /// The chart as a notebook output: its PNG (<see cref="ChartImage"/>), which
    /// shows wherever scripts do not run (GitHub, nbconvert, an exported page),
    /// and a script that draws the interactive chart over it where plotly.js
    /// is loaded, then hides the picture. plotly.js comes from Plotly.NET's
    /// assembly, inside the first chart output of the process (about 3.6 MB,
    /// once per kernel), never from a CDN. Outputs rendered by one kernel share
    /// one page in VS Code and Jupyter, so later charts find it there.
    /// </summary>
    public static string NotebookOutput(ChartDescription chart)
    {
        var figure = GenericChart.toFigureJson(PlotlyChart.Of(chart));
        var id = $"image-restoration-chart-{Environment.ProcessId}-{Interlocked.Increment(ref outputs)}";
        var html = new System.Text.StringBuilder();
        if (Interlocked.Exchange(ref plotlyJsSent, 1) == 0) html.Append(PlotlyJsScript());
        html.Append($"<div id=\"{id}\" class=\"image-restoration-chart\" style=\"max-width:100%;overflow-x:auto\">");
        html.Append(ChartImage.Html(chart));
        html.Append("<div class=\"image-restoration-interactive\"></div>");
        // The figure as JSON text inside the script; "</" is escaped so that no title ends the script early.
        html.Append("<script type=\"text/javascript\">(function(){var figure=").Append(figure.Replace("</", "<\\/")).Append(';');
        html.Append($"var box=document.getElementById('{id}');");
        html.Append("function draw(){if(!window.Plotly||!box)return false;var target=box.querySelector('.image-restoration-interactive');");
        html.Append("window.Plotly.newPlot(target,figure.data,figure.layout,{responsive:true}).then(function(){box.querySelector('img').style.display='none';});return true;}");
        html.Append($"if(!draw())window.addEventListener('{PlotlyReadyEvent}',draw,{{once:true}});}})();</script></div>");
        return html.ToString();
    }

    /// <summary>
    /// plotly.js from Plotly.NET's assembly as a marked script element. AMD
    /// loaders (require.js in Jupyter) are set aside while it runs, so that it
    /// defines window.Plotly; then it tells the charts waiting for it.
    /// </summary>
    private static string PlotlyJsScript()
    {
        using var resource = typeof(GenericChart).Assembly.GetManifestResourceStream($"Plotly.NET.{PlotlyJsFileName}")
                             ?? throw new InvalidOperationException($"Plotly.NET carries no {PlotlyJsFileName}.");
        using var reader = new StreamReader(resource);
        var script = reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return $"<script type=\"text/javascript\" {PlotlyJsMarker}>(function(){{if(window.Plotly)return;var define=window.define;window.define=undefined;" +
               $"try{{{script}\n}}finally{{window.define=define;}}window.dispatchEvent(new Event('{PlotlyReadyEvent}'));}})();</script>";
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
