using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using ImageRestoration.Configuration;
using ImageRestoration.Evaluation;
using ImageRestoration.Metrics;
using ImageRestoration.Models;

namespace ImageRestoration.Studies;

/// <summary>
/// One row of a study: a restorer (the degraded input itself, a baseline or a
/// trained model) scored on one set of degraded test images. Columns that do
/// not apply stay null (and are left out of the JSON and the Markdown).
/// </summary>
public sealed record StudyRow
{
    /// <summary>What restored the pictures: <c>degraded input</c>, <c>median 3x3</c>, <c>presentation trained on gaussian-0.5</c>...</summary>
    public required string Method { get; init; }

    public required RestorerKind Kind { get; init; }

    /// <summary>The degradation of the scored test images (<c>gaussian-0.5</c>), or <c>none</c> for clean images.</summary>
    public required string Degradation { get; init; }

    /// <summary>Noise sweep: the Gaussian noise factor of the scored images.</summary>
    public double? NoiseLevel { get; init; }

    /// <summary>A trained model's catalog name (<c>presentation</c>, <c>wide</c>, <c>unet</c>); a table saved with the former name reads as the new one.</summary>
    public string? Model { get; init => field = ModelCatalog.Canonical(value); }

    /// <summary>What the model was trained on: <c>clean</c> or a degradation's name.</summary>
    public string? TrainedOn { get; init; }

    public long? Parameters { get; init; }
    public int? Epochs { get; init; }

    /// <summary>Mean seconds per training epoch, from the run's history.</summary>
    public double? EpochSeconds { get; init; }

    /// <summary>The last epoch's mean training BCE and validation BCE, from the run's history.</summary>
    public double? FinalTrainLoss { get; init; }
    public double? FinalValidationLoss { get; init; }

    public int Images { get; init; }

    /// <summary>Mean per-image PSNR in dB on the test images.</summary>
    public double Psnr { get; init; }

    /// <summary>Mean per-image SSIM on the test images.</summary>
    public double Ssim { get; init; }

    /// <summary>Mean per-pixel binary cross-entropy and squared error on the test images.</summary>
    public double Bce { get; init; }
    public double Mse { get; init; }

    /// <summary>Test images restored exactly (PSNR +∞, counted as 100 dB in the mean).</summary>
    public int ExactImages { get; init; }

    /// <summary>Capacity study: the same scores on as many training images, degraded the same way but with other draws.</summary>
    public double? TrainPsnr { get; init; }
    public double? TrainSsim { get; init; }
    public double? TrainBce { get; init; }

    /// <summary>Overfitting: training PSNR minus test PSNR (dB); positive means better on the images it learnt from.</summary>
    public double? PsnrGap => TrainPsnr is { } train ? train - Psnr : null;

    /// <summary>Overfitting: test BCE minus training BCE.</summary>
    public double? BceGap => TrainBce is { } train ? Bce - train : null;

    /// <summary>
    /// This row with the presentation model's former name (<see cref="ModelCatalog.FormerPresentation"/>)
    /// in its method replaced by the new one, as tables saved before the rename wrote it.
    /// </summary>
    internal StudyRow Renamed()
    {
        var former = ModelCatalog.FormerPresentation + " ";
        return Kind == RestorerKind.Model && Method.StartsWith(former, StringComparison.Ordinal)
            ? this with { Method = ModelCatalog.Presentation + " " + Method[former.Length..] }
            : this;
    }

    /// <summary>A row from a score.</summary>
    public static StudyRow From(Restorer restorer, string degradation, RestorationScore score) => new()
    {
        Method = restorer.Name,
        Kind = restorer.Kind,
        Degradation = degradation,
        Images = score.Images,
        Psnr = score.Psnr,
        Ssim = score.Ssim,
        Bce = score.Bce,
        Mse = score.Mse,
        ExactImages = score.ExactImages,
    };
}

/// <summary>
/// A study's results: its rows, the configuration it ran with and how long it
/// took, as JSON (to reload, chart or compare) and as a Markdown table (for
/// the README and the issue).
/// </summary>
public sealed class StudyTable
{
    /// <summary>The study's name, as <see cref="Study.Run"/> takes it: <c>baselines</c>, <c>noise-sweep</c>...</summary>
    public required string Study { get; init; }

    public required string Title { get; init; }

    /// <summary>What was measured and how, in a sentence or two.</summary>
    public string Description { get; init; } = "";

    /// <summary>The base configuration the study ran with (each trained model's own differs only in model, mode and noise).</summary>
    public required ExperimentConfiguration Configuration { get; init; }

    public int TrainImages { get; init; }
    public int TestImages { get; init; }

    /// <summary>Wall-clock seconds for the whole study, training included (near zero when every run was reused).</summary>
    public double Seconds { get; init; }

    public DateTimeOffset Finished { get; init; } = DateTimeOffset.Now;

    public List<StudyRow> Rows { get; init; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a table back; one saved before the presentation's model was renamed reads with the new name.</summary>
    public static StudyTable FromJson(string json)
    {
        var table = JsonSerializer.Deserialize<StudyTable>(json, JsonOptions) ?? throw new InvalidDataException("The study JSON is null.");
        for (var i = 0; i < table.Rows.Count; i++) table.Rows[i] = table.Rows[i].Renamed();
        return table;
    }

    public static StudyTable Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The row of a method on a degradation (and noise level), or null.</summary>
    public StudyRow? Find(string method, string? degradation = null, double? noiseLevel = null) =>
        Rows.FirstOrDefault(r => r.Method == method && (degradation is null || r.Degradation == degradation) &&
                                 (noiseLevel is null || r.NoiseLevel is { } level && Math.Abs(level - noiseLevel.Value) < 1e-9));

    /// <summary>Writes <c>STUDY.json</c> and <c>STUDY.md</c> into <paramref name="directory"/> (atomically) and returns their paths.</summary>
    public (string Json, string Markdown) Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.GetFullPath(Path.Combine(directory, Study + ".json"));
        var markdown = Path.ChangeExtension(json, ".md");
        AtomicFile.WriteAllText(json, ToJson());
        AtomicFile.WriteAllText(markdown, ToMarkdown());
        return (json, markdown);
    }

    /// <summary>
    /// A heading, the settings, and one table with a line per row and a
    /// column per measure that any row has. A noise sweep also gets PSNR and
    /// SSIM pivoted: a line per method, a column per noise level.
    /// </summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"### {Title}").AppendLine();
        if (Description.Length > 0) text.AppendLine(Description).AppendLine();
        text.AppendLine(Invariant($"{Configuration.Epochs} epoch{(Configuration.Epochs == 1 ? "" : "s")}, batch {Configuration.BatchSize}, {TrainImages:N0} training images, {TestImages:N0} test images, seed {Configuration.Seed}; PSNR and SSIM are means over images (SSIM: 11x11 Gaussian window σ 1.5, valid borders); study time {Seconds / 60:F1} min.")).AppendLine();

        var (headers, cells) = Cells();
        AppendTable(text, headers, cells);

        var levels = Rows.Where(r => r.NoiseLevel is not null).Select(r => r.NoiseLevel!.Value).Distinct().Order().ToList();
        if (levels.Count > 1)
        {
            var methods = Rows.Select(r => r.Method).Distinct().ToList();
            foreach (var (name, value, format) in new (string, Func<StudyRow, double>, string)[] { ("PSNR (dB)", r => r.Psnr, "F2"), ("SSIM", r => r.Ssim, "F4") })
            {
                text.AppendLine().AppendLine($"{name} by noise level:").AppendLine();
                AppendTable(text, ["Method", .. levels.Select(l => l.ToString("0.0#", CultureInfo.InvariantCulture))],
                    methods.Select(m => (IEnumerable<string>)[m, .. levels.Select(l =>
                        Find(m, noiseLevel: l) is { } row ? value(row).ToString(format, CultureInfo.InvariantCulture) : "")]));
            }
        }
        return text.ToString();
    }

    /// <summary>The header and cells of the main table: a column per measure that any row has (the Markdown's and the notebooks' table).</summary>
    public (List<string> Headers, List<List<string>> Rows) Cells()
    {
        var columns = new List<(string Header, Func<StudyRow, string?> Cell)>
        {
            ("Method", r => r.Method),
            ("Degradation", r => r.Degradation),
            ("Noise level", r => r.NoiseLevel is { } v ? Invariant($"{v:0.0#}") : null),
            ("Trained on", r => r.TrainedOn),
            ("Parameters", r => r.Parameters is { } v ? Invariant($"{v:N0}") : null),
            ("s/epoch", r => r.EpochSeconds is { } v ? Invariant($"{v:F1}") : null),
            ("PSNR (dB)", r => Invariant($"{r.Psnr:F2}")),
            ("SSIM", r => Invariant($"{r.Ssim:F4}")),
            ("BCE", r => Invariant($"{r.Bce:F4}")),
            ("MSE", r => Invariant($"{r.Mse:F5}")),
            ("Train PSNR", r => r.TrainPsnr is { } v ? Invariant($"{v:F2}") : null),
            ("PSNR gap", r => r.PsnrGap is { } v ? SignedNumber.Format(v, 2) : null),
            ("Train BCE", r => r.TrainBce is { } v ? Invariant($"{v:F4}") : null),
            ("BCE gap", r => r.BceGap is { } v ? SignedNumber.Format(v, 4) : null),
            ("Final val BCE", r => r.FinalValidationLoss is { } v ? Invariant($"{v:F4}") : null),
        };
        columns.RemoveAll(c => Rows.All(r => c.Cell(r) is null));
        return (columns.Select(c => c.Header).ToList(), Rows.Select(r => columns.Select(c => c.Cell(r) ?? "").ToList()).ToList());
    }

    private static void AppendTable(StringBuilder text, IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        var head = headers.ToList();
        text.AppendLine("| " + string.Join(" | ", head) + " |");
        var cells = rows.Select(r => r.Select(c => c.Replace("|", "\\|")).ToList()).ToList();
        // Text columns left-aligned, numbers right-aligned.
        var numeric = head.Select((_, i) => i > 0 && cells.All(r => r[i].Length == 0 || double.TryParse(r[i].TrimEnd('%'),
            NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double _))).ToList();
        text.AppendLine("|" + string.Join("|", numeric.Select(n => n ? " ---: " : " --- ")) + "|");
        foreach (var row in cells)
            text.AppendLine("| " + string.Join(" | ", row) + " |");
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
