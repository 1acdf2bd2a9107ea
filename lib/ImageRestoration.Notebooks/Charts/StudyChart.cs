using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using Plotly.NET;
using static ImageRestoration.Charts.PlotlyObjects;

namespace ImageRestoration.Charts;

/// <summary>
/// The evaluation studies' tables as charts: PSNR and SSIM side by side in
/// every chart (higher is better in both), the degraded input in grey, the
/// classical baselines in blue, the trained models in orange.
/// </summary>
public static class StudyChart
{
    private static readonly Dictionary<RestorerKind, string> KindColour = new()
    {
        [RestorerKind.Input] = "#7f7f7f",
        [RestorerKind.Baseline] = "#1f77b4",
        [RestorerKind.Model] = "#ff7f0e",
    };

    /// <summary>Plotly's default colours without the model's orange and the input's grey.</summary>
    private static readonly string[] BaselineColours = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"];

    /// <summary>A second title line that says what the colours mean.</summary>
    private const string ColourKey = "<br><sup>grey: degraded input · blue: classical baselines · orange: trained models</sup>";

    /// <summary>Saves the study's chart as <c>STUDY.html</c> in <paramref name="directory"/> (plotly.js beside it) and returns its path.</summary>
    public static string Save(StudyTable table, string directory) =>
        ChartHtml.Save(Of(table), Path.Combine(directory, table.Study + ".html"), title: table.Title);

    /// <summary>The study's own chart: <see cref="Methods"/>, <see cref="NoiseSweep"/>, <see cref="ByDegradation"/> or <see cref="Capacity"/>.</summary>
    public static GenericChart Of(StudyTable table) => table.Study switch
    {
        Study.NoiseSweep => NoiseSweep(table),
        Study.Degradations => ByDegradation(table),
        Study.Capacity => Capacity(table),
        _ => Methods(table),
    };

    /// <summary>
    /// Every method on one degradation (by default the first row's): a bar
    /// each for PSNR and SSIM, in table order. The baselines study's chart.
    /// </summary>
    public static GenericChart Methods(StudyTable table, string? degradation = null)
    {
        degradation ??= FirstRow(table).Degradation;
        var rows = table.Rows.Where(r => r.Degradation == degradation).ToList();
        if (rows.Count == 0) throw new ArgumentException($"The {table.Study} study has no rows on '{degradation}'.", nameof(degradation));
        // Horizontal bars, first row on top, so that long method names stay readable.
        Trace Bars(string measure, Func<StudyRow, double> value, string format, int panel) => Trace("bar", [
            ("name", measure),
            ("orientation", "h"),
            ("y", rows.Select(r => r.Method).ToArray()),
            ("x", rows.Select(r => Math.Round(value(r), 4)).ToArray()),
            ("marker", Object(("color", rows.Select(r => KindColour[r.Kind]).ToArray()))),
            ("text", rows.Select(r => value(r).ToString(format, CultureInfo.InvariantCulture)).ToArray()),
            ("textposition", "auto"),
            ("hovertemplate", "%{y}: %{x}<extra>" + measure + "</extra>"),
            .. Axes(panel)]);
        var layout = Panels($"PSNR and SSIM on {degradation} test images" + ColourKey, ["PSNR (dB)", "SSIM"], height: 140 + 26 * rows.Count, left: 230);
        layout.SetProperty("showlegend", false);
        for (var panel = 1; panel <= 2; panel++)
            layout.SetProperty(AxisId("yaxis", panel), Object(("autorange", "reversed"), ("showticklabels", panel == 1), ("anchor", AxisId("x", panel)),
                ("matches", panel == 1 ? null : "y")));
        return Chart([Bars("PSNR (dB)", r => r.Psnr, "F2", 1), Bars("SSIM", r => r.Ssim, "F3", 2)], layout);
    }

    /// <summary>PSNR and SSIM against the noise level, a line per method: where the model and each baseline stand at every level.</summary>
    public static GenericChart NoiseSweep(StudyTable table)
    {
        var rows = table.Rows.Where(r => r.NoiseLevel is not null).ToList();
        if (rows.Count == 0) throw new ArgumentException($"The {table.Study} study has no noise levels.", nameof(table));
        var traces = new List<Trace>();
        var baseline = 0;
        foreach (var method in rows.GroupBy(r => r.Method))
        {
            var points = method.OrderBy(r => r.NoiseLevel).ToList();
            var kind = points[0].Kind;
            // Each baseline in its own thin colour; the model thick orange, the input grey.
            var colour = kind == RestorerKind.Baseline ? BaselineColours[baseline++ % BaselineColours.Length] : KindColour[kind];
            var width = kind == RestorerKind.Model ? 3.5 : 1.5;
            foreach (var (panel, measure, value) in new (int, string, Func<StudyRow, double>)[] { (1, "PSNR (dB)", r => r.Psnr), (2, "SSIM", r => r.Ssim) })
                traces.Add(Trace("scatter", [
                    ("name", method.Key),
                    ("legendgroup", method.Key),
                    ("showlegend", panel == 1),
                    ("mode", "lines+markers"),
                    ("x", points.Select(r => r.NoiseLevel!.Value).ToArray()),
                    ("y", points.Select(r => Math.Round(value(r), 4)).ToArray()),
                    ("line", Object(("color", colour), ("width", width))),
                    ("marker", Object(("size", kind == RestorerKind.Model ? 8 : 5))),
                    ("hovertemplate", "noise %{x}: %{y:.3f}<extra>" + method.Key + " · " + measure + "</extra>"),
                    .. Axes(panel)]));
        }
        var layout = Panels("PSNR and SSIM against the Gaussian noise factor", ["PSNR (dB)", "SSIM"], height: 460, width: 1040, xTitle: "noise factor");
        return Chart(traces, layout);
    }

    /// <summary>
    /// For each degradation: the degraded input, the best baseline on it
    /// (named in the hover) and the trained model, grouped bars for PSNR and SSIM.
    /// </summary>
    public static GenericChart ByDegradation(StudyTable table)
    {
        var degradations = table.Rows.Select(r => r.Degradation).Distinct().ToList();
        if (degradations.Count == 0) throw new ArgumentException($"The {table.Study} study has no rows.", nameof(table));
        StudyRow? Pick(string degradation, RestorerKind kind) => table.Rows
            .Where(r => r.Degradation == degradation && r.Kind == kind).MaxBy(r => r.Psnr);
        var groups = new (string Name, RestorerKind Kind)[] { ("degraded input", RestorerKind.Input), ("best baseline", RestorerKind.Baseline), ("trained model", RestorerKind.Model) };
        var traces = new List<Trace>();
        foreach (var (name, kind) in groups)
        {
            var picked = degradations.Select(d => Pick(d, kind)).ToList();
            foreach (var (panel, measure, value) in new (int, string, Func<StudyRow, double>)[] { (1, "PSNR (dB)", r => r.Psnr), (2, "SSIM", r => r.Ssim) })
                traces.Add(Trace("bar", [
                    ("name", name),
                    ("legendgroup", name),
                    ("showlegend", panel == 1),
                    ("x", degradations.ToArray()),
                    ("y", picked.Select(r => r is null ? (double?)null : Math.Round(value(r), 4)).ToArray()),
                    ("customdata", picked.Select(r => r?.Method ?? "").ToArray()),
                    ("marker", Object(("color", KindColour[kind]))),
                    ("hovertemplate", "%{x}: %{y:.3f}<br>%{customdata}<extra>" + measure + "</extra>"),
                    .. Axes(panel)]));
        }
        var layout = Panels("Each degradation: degraded input, best baseline and the model trained on it", ["PSNR (dB)", "SSIM"], height: 440);
        layout.SetProperty("barmode", "group");
        return Chart(traces, layout);
    }

    /// <summary>
    /// The capacity study on one chart: PSNR and SSIM on test images and on as
    /// many training images (the gap between the two bars is overfitting),
    /// then each model's parameters and seconds per epoch.
    /// </summary>
    public static GenericChart Capacity(StudyTable table)
    {
        var models = table.Rows.Where(r => r.Kind == RestorerKind.Model).ToList();
        if (models.Count == 0) throw new ArgumentException($"The {table.Study} study has no trained models.", nameof(table));
        var names = models.Select(r => r.Model ?? r.Method).ToArray();
        var traces = new List<Trace>();
        // Figures written on the test bars only: two labels side by side on narrow bars overlap.
        Trace Bars(string name, int panel, IEnumerable<double?> values, string colour, string? format, bool legend = false) => Trace("bar", [
            ("name", name),
            ("legendgroup", name),
            ("showlegend", legend),
            ("x", names),
            ("y", values.Select(v => v is { } x ? Math.Round(x, 4) : (double?)null).ToArray()),
            ("text", format is null ? null : values.Select(v => v?.ToString(format, CultureInfo.InvariantCulture) ?? "").ToArray()),
            ("textposition", "outside"),
            ("textangle", 0),
            ("textfont", Object(("size", 10))),
            ("cliponaxis", false),
            ("marker", Object(("color", colour))),
            ("hovertemplate", "%{x}: %{y}<extra>" + name + "</extra>"),
            .. Axes(panel)]);
        const string test = "#ff7f0e", train = "#ffbb78";
        traces.Add(Bars("test images", 1, models.Select(r => (double?)r.Psnr), test, "F2", legend: true));
        traces.Add(Bars("training images", 1, models.Select(r => r.TrainPsnr), train, null, legend: true));
        traces.Add(Bars("test images", 2, models.Select(r => (double?)r.Ssim), test, "F3"));
        traces.Add(Bars("training images", 2, models.Select(r => r.TrainSsim), train, null));
        traces.Add(Bars("parameters", 3, models.Select(r => (double?)r.Parameters), "#2ca02c", "N0"));
        traces.Add(Bars("seconds per epoch", 4, models.Select(r => r.EpochSeconds), "#9467bd", "F1"));
        var degradation = models[0].Degradation;
        var layout = Panels($"Capacity on {degradation}: quality, overfitting and cost per model",
            ["PSNR (dB)", "SSIM", "parameters", "seconds per epoch"], height: 440, width: 1100);
        layout.SetProperty("barmode", "group");
        layout.SetProperty("legend", Object(("orientation", "h"), ("y", -0.15)));
        return Chart(traces, layout);
    }

    private static StudyRow FirstRow(StudyTable table) =>
        table.Rows.FirstOrDefault() ?? throw new ArgumentException($"The {table.Study} study has no rows.", nameof(table));

    /// <summary>A trace's axes in panel <paramref name="panel"/> (1-based): x/y, x2/y2...</summary>
    private static (string, object?)[] Axes(int panel) => [("xaxis", AxisId("x", panel)), ("yaxis", AxisId("y", panel))];

    private static string AxisId(string axis, int panel) => panel == 1 ? axis : axis + panel;

    /// <summary>A layout of panels side by side, each with its title above it; axes anchored to their panel.</summary>
    private static Layout Panels(string title, IReadOnlyList<string> panelTitles, int height, int? width = null, int left = 60, string? xTitle = null)
    {
        const double gap = 0.08;
        var count = panelTitles.Count;
        var span = (1 - gap * (count - 1)) / count;
        var layout = Layout(
            ("title", Title(title)),
            ("width", width ?? 380 * count + left),
            ("height", height),
            ("margin", Object(("l", left), ("t", 80))));
        var annotations = new List<DynamicObj.DynamicObj>();
        for (var panel = 1; panel <= count; panel++)
        {
            var x0 = (panel - 1) * (span + gap);
            layout.SetProperty(AxisId("xaxis", panel), Object(("domain", new[] { x0, x0 + span }), ("anchor", AxisId("y", panel)),
                ("title", xTitle is null ? null : Title(xTitle))));
            layout.SetProperty(AxisId("yaxis", panel), Object(("anchor", AxisId("x", panel))));
            annotations.Add(Object(("text", $"<b>{panelTitles[panel - 1]}</b>"), ("xref", "paper"), ("yref", "paper"), ("x", x0 + span / 2), ("y", 1.0),
                ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false)));
        }
        layout.SetProperty("annotations", annotations);
        return layout;
    }
}
