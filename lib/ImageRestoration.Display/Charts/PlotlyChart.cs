using System.Globalization;
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
