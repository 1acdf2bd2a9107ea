using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;

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
    private const string ColourKey = "grey: degraded input · blue: classical baselines · orange: trained models";

    /// <summary>Saves the study's chart as <c>STUDY.html</c> in <paramref name="directory"/> (plotly.js beside it) and returns its path.</summary>
    public static string Save(StudyTable table, string directory) =>
        ChartHtml.Save(Of(table), Path.Combine(directory, table.Study + ".html"), title: table.Title);

    /// <summary>The study's own chart: <see cref="Methods"/>, <see cref="NoiseSweep"/>, <see cref="ByDegradation"/> or <see cref="Capacity"/>.</summary>
    public static ChartDescription Of(StudyTable table) => table.Study switch
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
    public static ChartDescription Methods(StudyTable table, string? degradation = null)
    {
        degradation ??= FirstRow(table).Degradation;
        var rows = table.Rows.Where(r => r.Degradation == degradation).ToList();
        if (rows.Count == 0) throw new ArgumentException($"The {table.Study} study has no rows on '{degradation}'.", nameof(degradation));
        // Horizontal bars, first row on top, so that long method names stay readable.
        ChartPanel Panel(string measure, Func<StudyRow, double> value, string format, bool names) => new()
        {
            Title = measure,
            Horizontal = true,
            Y = new ChartAxis { TickLabels = names },
            Series =
            [
                new ChartSeries
                {
                    Name = measure, Kind = SeriesKind.Bars, InLegend = false,
                    Categories = rows.Select(r => r.Method).ToArray(),
                    Y = rows.Select(r => (double?)value(r)).ToArray(),
                    BarColours = rows.Select(r => KindColour[r.Kind]).ToArray(),
                    Labels = rows.Select(r => value(r).ToString(format, CultureInfo.InvariantCulture)).ToArray(),
                },
            ],
        };
        return new ChartDescription
        {
            Title = $"PSNR and SSIM on {degradation} test images", Subtitle = ColourKey,
            Width = 380 * 2 + 230, Height = 140 + 26 * rows.Count, LeftMargin = 230,
            Panels = [Panel("PSNR (dB)", r => r.Psnr, "F2", names: true), Panel("SSIM", r => r.Ssim, "F3", names: false)],
        };
    }

    /// <summary>PSNR and SSIM against the noise level, a line per method: where the model and each baseline stand at every level.</summary>
    public static ChartDescription NoiseSweep(StudyTable table)
    {
        var rows = table.Rows.Where(r => r.NoiseLevel is not null).ToList();
        if (rows.Count == 0) throw new ArgumentException($"The {table.Study} study has no noise levels.", nameof(table));
        var psnr = new List<ChartSeries>();
        var ssim = new List<ChartSeries>();
        var baseline = 0;
        foreach (var method in rows.GroupBy(r => r.Method))
        {
            var points = method.OrderBy(r => r.NoiseLevel).ToList();
            var kind = points[0].Kind;
            // Each baseline in its own thin colour; the model thick orange, the input grey.
            var line = new ChartSeries
            {
                Name = method.Key, LegendGroup = method.Key, HoverDecimals = 3,
                Colour = kind == RestorerKind.Baseline ? BaselineColours[baseline++ % BaselineColours.Length] : KindColour[kind],
                LineWidth = kind == RestorerKind.Model ? 3.5 : 1.5,
                MarkerSize = kind == RestorerKind.Model ? 8 : 5,
                X = points.Select(r => r.NoiseLevel!.Value).ToArray(),
                Y = points.Select(r => (double?)r.Psnr).ToArray(),
            };
            psnr.Add(line);
            ssim.Add(line with { InLegend = false, Y = points.Select(r => (double?)r.Ssim).ToArray() });
        }
        var x = new ChartAxis { Title = "noise factor" };
        return new ChartDescription
        {
            Title = "PSNR and SSIM against the Gaussian noise factor", Width = 1040, Height = 460,
            Panels = [new ChartPanel { Title = "PSNR (dB)", X = x, Series = psnr }, new ChartPanel { Title = "SSIM", X = x, Series = ssim }],
        };
    }

    /// <summary>
    /// For each degradation: the degraded input, the best baseline on it
    /// (named in the hover) and the trained model, grouped bars for PSNR and SSIM.
    /// </summary>
    public static ChartDescription ByDegradation(StudyTable table)
    {
        var degradations = table.Rows.Select(r => r.Degradation).Distinct().ToList();
        if (degradations.Count == 0) throw new ArgumentException($"The {table.Study} study has no rows.", nameof(table));
        StudyRow? Pick(string degradation, RestorerKind kind) => table.Rows
            .Where(r => r.Degradation == degradation && r.Kind == kind).MaxBy(r => r.Psnr);
        var groups = new (string Name, RestorerKind Kind)[] { ("degraded input", RestorerKind.Input), ("best baseline", RestorerKind.Baseline), ("trained model", RestorerKind.Model) };
        ChartSeries Bars(string name, RestorerKind kind, Func<StudyRow, double> value, bool legend)
        {
            var picked = degradations.Select(d => Pick(d, kind)).ToList();
            return new ChartSeries
            {
                Name = name, Kind = SeriesKind.Bars, LegendGroup = name, InLegend = legend, Colour = KindColour[kind], HoverDecimals = 3,
                Categories = degradations, Y = picked.Select(r => r is null ? (double?)null : value(r)).ToArray(),
                Notes = picked.Select(r => r?.Method ?? "").ToArray(),
            };
        }
        return new ChartDescription
        {
            Title = "Each degradation: degraded input, best baseline and the model trained on it", Width = 380 * 2 + 60, Height = 440,
            Panels =
            [
                new ChartPanel { Title = "PSNR (dB)", Series = groups.Select(g => Bars(g.Name, g.Kind, r => r.Psnr, legend: true) with { HoverName = "PSNR (dB)" }).ToList() },
                new ChartPanel { Title = "SSIM", Series = groups.Select(g => Bars(g.Name, g.Kind, r => r.Ssim, legend: false) with { HoverName = "SSIM" }).ToList() },
            ],
        };
    }

    /// <summary>
    /// The capacity study on one chart: PSNR and SSIM on test images and on as
    /// many training images (the gap between the two bars is overfitting),
    /// then each model's parameters and seconds per epoch.
    /// </summary>
    public static ChartDescription Capacity(StudyTable table)
    {
        var models = table.Rows.Where(r => r.Kind == RestorerKind.Model).ToList();
        if (models.Count == 0) throw new ArgumentException($"The {table.Study} study has no trained models.", nameof(table));
        var names = models.Select(r => r.Model ?? r.Method).ToArray();
        // Figures written on the test bars only: two labels side by side on narrow bars overlap.
        ChartSeries Bars(string name, IEnumerable<double?> values, string colour, string? format, bool legend = false)
        {
            var list = values.ToList();
            return new ChartSeries
            {
                Name = name, Kind = SeriesKind.Bars, LegendGroup = name, InLegend = legend, Colour = colour, Categories = names, Y = list,
                Labels = format is null ? null : list.Select(v => v?.ToString(format, CultureInfo.InvariantCulture) ?? "").ToArray(),
            };
        }
        const string test = "#ff7f0e", train = "#ffbb78";
        return new ChartDescription
        {
            Title = $"Capacity on {models[0].Degradation}: quality, overfitting and cost per model", Width = 1100, Height = 440,
            Panels =
            [
                new ChartPanel { Title = "PSNR (dB)", Series = [Bars("test images", models.Select(r => (double?)r.Psnr), test, "F2", legend: true),
                    Bars("training images", models.Select(r => r.TrainPsnr), train, null, legend: true)] },
                new ChartPanel { Title = "SSIM", Series = [Bars("test images", models.Select(r => (double?)r.Ssim), test, "F3"),
                    Bars("training images", models.Select(r => r.TrainSsim), train, null)] },
                new ChartPanel { Title = "parameters", Series = [Bars("parameters", models.Select(r => (double?)r.Parameters), "#2ca02c", "N0") with { HoverDecimals = 0 }] },
                new ChartPanel { Title = "seconds per epoch", Series = [Bars("seconds per epoch", models.Select(r => r.EpochSeconds), "#9467bd", "F1") with { HoverDecimals = 1 }] },
            ],
        };
    }

    private static StudyRow FirstRow(StudyTable table) =>
        table.Rows.FirstOrDefault() ?? throw new ArgumentException($"The {table.Study} study has no rows.", nameof(table));
}
