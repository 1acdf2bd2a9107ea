namespace ImageRestoration.Charts;

/// <summary>How a series is drawn.</summary>
internal enum SeriesKind
{
    Lines,
    Markers,
    LinesAndMarkers,

    /// <summary>One bar per category; several bar series in a panel stand side by side.</summary>
    Bars,
}

internal enum LineDash
{
    Solid,
    Dashed,
    Dotted,
}

internal enum MarkerShape
{
    Circle,
    Diamond,
    TriangleUp,
}

/// <summary>
/// One series of a panel: numbers against numbers (<see cref="X"/>) or
/// against categories (<see cref="Categories"/>). A missing value (null or
/// not finite) draws nothing.
/// </summary>
internal sealed record ChartSeries
{
    public required string Name { get; init; }
    public SeriesKind Kind { get; init; } = SeriesKind.LinesAndMarkers;
    public IReadOnlyList<double> X { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public required IReadOnlyList<double?> Y { get; init; }

    /// <summary>A CSS hex colour (#rrggbb).</summary>
    public string Colour { get; init; } = "#1f77b4";

    /// <summary>A colour per bar, instead of <see cref="Colour"/>.</summary>
    public IReadOnlyList<string>? BarColours { get; init; }

    public LineDash Dash { get; init; } = LineDash.Solid;
    public double LineWidth { get; init; } = 2;
    public double MarkerSize { get; init; } = 6;
    public MarkerShape Marker { get; init; } = MarkerShape.Circle;

    /// <summary>The area between the line and zero is shaded.</summary>
    public bool FillToZero { get; init; }

    /// <summary>A value label per point, written at the bar's end (bars only).</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Whether the legend lists this series (the first series of a <see cref="LegendGroup"/> stands for the group).</summary>
    public bool InLegend { get; init; } = true;

    /// <summary>Series that the interactive legend shows and hides together.</summary>
    public string? LegendGroup { get; init; }

    /// <summary>A note per point for the hover text (for example which baseline a bar is).</summary>
    public IReadOnlyList<string>? Notes { get; init; }

    /// <summary>Decimals of the value in the hover text.</summary>
    public int HoverDecimals { get; init; } = 4;

    /// <summary>What the hover text calls the series; <see cref="Name"/> when null.</summary>
    public string? HoverName { get; init; }
}

/// <summary>An axis: its title and how its range is chosen.</summary>
internal sealed record ChartAxis
{
    public string Title { get; init; } = "";

    /// <summary>
    /// The range reaches zero. Bars always do (a bar's length is its value);
    /// losses and differences do, so that a small change does not fill the height.
    /// </summary>
    public bool IncludeZero { get; init; }

    /// <summary>Whole numbers only (epochs): a tick per value for 20 or fewer.</summary>
    public bool WholeNumbers { get; init; }

    /// <summary>Whether the category or tick labels are written (a second panel of the same categories leaves them out).</summary>
    public bool TickLabels { get; init; } = true;
}

/// <summary>One plot area: its series on one pair of axes.</summary>
internal sealed record ChartPanel
{
    /// <summary>Written above the panel when a chart has several.</summary>
    public string Title { get; init; } = "";
    public ChartAxis X { get; init; } = new();
    public ChartAxis Y { get; init; } = new();
    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Bars lie along the x axis, their categories down the y axis, the first on top.</summary>
    public bool Horizontal { get; init; }

    /// <summary>The panel holds bars: its value axis starts at zero.</summary>
    public bool HasBars => Series.Any(s => s.Kind == SeriesKind.Bars);

    /// <summary>
    /// The range of the value axis (y, or x for horizontal bars) when the
    /// description decides it, null when the data's own extent is honest: it
    /// reaches zero for bars and for axes that <see cref="ChartAxis.IncludeZero"/>,
    /// with room past the longest bar for its value label.
    /// </summary>
    public (double Low, double High)? ValueRange()
    {
        var values = Series.SelectMany(s => s.Y).OfType<double>().Where(double.IsFinite).ToList();
        if (values.Count == 0 || !(HasBars || (Horizontal ? X : Y).IncludeZero)) return null;
        var (low, high) = (Math.Min(0, values.Min()), Math.Max(0, values.Max()));
        var span = high - low > 0 ? high - low : 1;
        var labelled = Series.Any(s => s.Labels is not null);
        return (low < 0 ? low - 0.05 * span : 0, high > 0 || low == 0 ? high + (labelled ? 0.18 : 0.05) * span : 0);
    }
}

/// <summary>
/// A chart as data: titles, panels side by side, their axes and series. It is
/// drawn two ways from the same description: as a Plotly.NET chart for the
/// interactive view (<see cref="PlotlyChart"/>) and as a PNG picture that
/// shows where no script runs (<see cref="ChartImage"/>).
/// </summary>
public sealed record ChartDescription
{
    public required string Title { get; init; }

    /// <summary>A second, smaller title line (for example what the colours mean).</summary>
    public string Subtitle { get; init; } = "";

    /// <summary>The plots side by side. Internal, as are the panels' types, so not <c>required</c> (a required member is as visible as its type); every chart of this library sets it.</summary>
    internal IReadOnlyList<ChartPanel> Panels { get; init; } = [];
    public int Width { get; init; } = 760;
    public int Height { get; init; } = 440;

    /// <summary>Room on the left for long category names, in pixels.</summary>
    public int LeftMargin { get; init; } = 60;

    /// <summary>The entries of the legend, one per series or legend group; a chart with fewer than two shows none.</summary>
    internal IReadOnlyList<ChartSeries> LegendEntries()
    {
        var entries = Panels.SelectMany(p => p.Series).Where(s => s.InLegend && s.Name.Length > 0)
            .DistinctBy(s => s.LegendGroup ?? s.Name).ToList();
        return entries.Count >= 2 ? entries : [];
    }

    /// <summary>The chart's text, for an image's description.</summary>
    public override string ToString() => Subtitle.Length > 0 ? $"{Title}: {Subtitle}" : Title;
}
