using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace ImageRestoration.Charts;

/// <summary>
/// A <see cref="ChartDescription"/> as a Plotly.NET chart: the interactive
/// view (hover, zoom, legend toggles). Panels sit side by side, each on its
/// own pair of axes, with its title above it; the legend stays where plotly
/// puts it, outside the plot areas on the right.
/// </summary>
internal static class PlotlyChart
{
    private const double PanelGap = 0.08;

    public static GenericChart Of(ChartDescription chart)
    {
        var traces = new List<Trace>();
        for (var panel = 1; panel <= chart.Panels.Count; panel++)
            traces.AddRange(chart.Panels[panel - 1].Series.Select(s => Trace(s, chart.Panels[panel - 1], panel)));
        return GenericChart.setLayout(Layout(chart), GenericChart.ofTraceObjects(true, traces));
    }

    private static Trace Trace(ChartSeries series, ChartPanel panel, int number)
    {
        var bars = series.Kind == SeriesKind.Bars;
        var categories = series.Categories.Count > 0 ? (object)series.Categories.ToArray() : series.X.ToArray();
        var values = series.Y.Select(v => v is { } x && double.IsFinite(x) ? (double?)Math.Round(x, 6) : null).ToArray();
        var (along, across) = panel.Horizontal ? ("y", "x") : ("x", "y");
        var position = panel.Horizontal || series.Categories.Count > 0 ? "%{" + along + "}" : $"{panel.X.Title} %{{x}}".Trim();
        var note = series.Notes is null ? "" : "<br>%{customdata}";
        var trace = new Trace2D(bars ? "bar" : "scatter");
        Set(trace, ("name", series.Name), ("legendgroup", series.LegendGroup), ("showlegend", series.InLegend),
            (along, categories), (across, values),
            ("xaxis", AxisId("x", number)), ("yaxis", AxisId("y", number)),
            ("customdata", series.Notes?.ToArray()),
            ("hovertemplate", $"{position}: %{{{across}:.{series.HoverDecimals}f}}{note}<extra>{series.HoverName ?? series.Name}</extra>"));
        if (bars)
            Set(trace, ("orientation", panel.Horizontal ? "h" : "v"),
                ("marker", Object(("color", series.BarColours?.ToArray() ?? (object)series.Colour))),
                ("text", series.Labels?.ToArray()), ("textposition", series.Labels is null ? null : "outside"),
                ("textangle", 0), ("textfont", Object(("size", 11))), ("constraintext", "none"), ("cliponaxis", false));
        else
            Set(trace, ("mode", Mode(series.Kind)),
                ("line", Object(("color", series.Colour), ("width", series.LineWidth), ("dash", Dash(series.Dash)))),
                ("marker", Object(("color", series.Colour), ("size", series.MarkerSize), ("symbol", Symbol(series.Marker)))),
                ("fill", series.FillToZero ? "tozeroy" : null));
        return trace;
    }

    private static Layout Layout(ChartDescription chart)
    {
        var layout = new Layout();
        var title = chart.Subtitle.Length > 0 ? $"{chart.Title}<br><sup>{chart.Subtitle}</sup>" : chart.Title;
        var lines = chart.Panels.All(p => !p.HasBars);
        Set(layout, ("title", Object(("text", title))), ("width", chart.Width), ("height", chart.Height),
            ("margin", Object(("l", chart.LeftMargin), ("t", chart.Panels.Count > 1 || chart.Subtitle.Length > 0 ? 80 : null))),
            ("hovermode", lines && chart.Panels.Count == 1 ? "x unified" : "closest"),
            ("barmode", "group"), ("showlegend", chart.LegendEntries().Count > 0));
        var count = chart.Panels.Count;
        var span = (1 - PanelGap * (count - 1)) / count;
        var annotations = new List<DynamicObj.DynamicObj>();
        for (var number = 1; number <= count; number++)
        {
            var panel = chart.Panels[number - 1];
            var x0 = (number - 1) * (span + PanelGap);
            var range = panel.ValueRange();
            layout.SetProperty(AxisId("xaxis", number), Axis(panel.X, panel, panel.Horizontal ? range : null, ("domain", new[] { x0, x0 + span }),
                ("anchor", AxisId("y", number))));
            layout.SetProperty(AxisId("yaxis", number), Axis(panel.Y, panel, panel.Horizontal ? null : range, ("anchor", AxisId("x", number)),
                ("autorange", panel.Horizontal ? "reversed" : null)));
            if (count > 1 && panel.Title.Length > 0)
                annotations.Add(Object(("text", $"<b>{panel.Title}</b>"), ("xref", "paper"), ("yref", "paper"), ("x", x0 + span / 2), ("y", 1.0),
                    ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false)));
        }
        if (annotations.Count > 0) layout.SetProperty("annotations", annotations);
        return layout;
    }

    private static DynamicObj.DynamicObj Axis(ChartAxis axis, ChartPanel panel, (double Low, double High)? range, params (string, object?)[] more)
    {
        var points = panel.Series.Count == 0 ? 0 : panel.Series.Max(s => s.X.Count);
        return Object([
            ("title", axis.Title.Length > 0 ? Object(("text", axis.Title)) : null),
            ("tickformat", axis.WholeNumbers ? "d" : null),
            ("dtick", axis.WholeNumbers && points <= 20 ? 1 : null),
            ("showticklabels", axis.TickLabels),
            ("range", range is { } r ? new[] { r.Low, r.High } : null),
            .. more]);
    }

    private static string Mode(SeriesKind kind) => kind switch
    {
        SeriesKind.Lines => "lines",
        SeriesKind.Markers => "markers",
        _ => "lines+markers",
    };

    private static string Dash(LineDash dash) => dash switch
    {
        LineDash.Dashed => "dash",
        LineDash.Dotted => "dot",
        _ => "solid",
    };

    private static string Symbol(MarkerShape shape) => shape switch
    {
        MarkerShape.Diamond => "diamond",
        MarkerShape.TriangleUp => "triangle-up",
        _ => "circle",
    };

    /// <summary>An axis id in panel <paramref name="panel"/> (1-based): x, x2, x3... or xaxis, xaxis2...</summary>
    private static string AxisId(string axis, int panel) => panel == 1 ? axis : axis + panel.ToString(CultureInfo.InvariantCulture);

    /// <summary>A plotly.js object with the given attributes; null values are left out.</summary>
    private static DynamicObj.DynamicObj Object(params (string Name, object? Value)[] attributes)
    {
        var result = new DynamicObj.DynamicObj();
        Set(result, attributes);
        return result;
    }

    private static void Set(DynamicObj.DynamicObj target, params (string Name, object? Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
            if (value is not null) target.SetProperty(name, value);
    }
}

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
