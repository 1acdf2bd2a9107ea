using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using ImageRestoration.Charts;
using ImageRestoration.Data;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Notebooks;

/// <summary>
/// What a lesson shows, when it runs as a .NET file-based app
/// (<c>dotnet run notebooks/apps/NN-name.cs</c>) instead of in a kernel: the
/// kernel's <c>display</c> and <c>HTML</c>, with each figure written as a PNG
/// file in a folder next to the app (<c>apps/NN-name/figure-01.png</c>: the
/// same picture the notebook shows), tables and text on the console. Inside
/// a kernel <c>display</c> shows the value as the notebook would. The
/// generated apps open with <c>using static ImageRestoration.Notebooks.FileDisplay;</c>
/// and call <see cref="Start"/>.
/// </summary>
public static partial class FileDisplay
{
    private static string? folder;
    private static string shownFrom = "";
    private static int figures;

    /// <summary>
    /// Where the figures go: the folder named like the app, next to it,
    /// emptied of the figures of an earlier run (so none is taken for this
    /// run's). The working directory becomes the notebooks' folder (the app's
    /// folder's parent), as for a notebook, whose kernel starts there.
    /// </summary>
    public static string Start([CallerFilePath] string app = "")
    {
        folder = Path.Combine(Path.GetDirectoryName(app)!, Path.GetFileNameWithoutExtension(app));
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "figure-*.png")) File.Delete(old);
        figures = 0;
        shownFrom = Environment.CurrentDirectory; // where the user started the app: paths print relative to it
        Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetDirectoryName(app)!)!;
        Console.WriteLine($"figures: {Path.GetRelativePath(shownFrom, folder)}{Path.DirectorySeparatorChar}");
        return folder;
    }

    /// <summary>HTML to show as it is (the kernel's <c>HTML</c>); in an app, a table's text.</summary>
    public static HtmlText HTML(string html) => new(html);

    /// <summary>The kernel's <c>display</c>: in a kernel, the notebook's output; in an app, PNG files and console text.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "the kernel's name, so that a cell reads the same in both")]
    public static void display(object? value)
    {
        if (value is null) return;
        if (InteractiveKernel.IsRunningACell)
        {
            InteractiveKernel.Display(value is HtmlText text ? text.Html : NotebookDisplay.Html(value));
            return;
        }
        switch (value)
        {
            case ChartDescription chart: Write(ChartImage.Png(chart), chart.ToString()); break;
            case DigitGridFigure grid: Write(grid.Png(), grid.Title ?? "digit grid"); break;
            case TrainingHistory history when history.Epochs.Count > 0: Write(ChartImage.Png(LossChart.Of(history)), "loss chart"); break;
            case ImageDataset dataset when dataset.Count > 0: Write(NotebookDisplay.Grid(dataset, 10).Png(), DisplayPath.Of(dataset.Source)); break;
            case Tensor tensor when NotebookDisplay.IsImageBatch(tensor): Write(NotebookDisplay.Grid(tensor).Png(), "pictures"); break;
            case StudyTable table:
                Console.WriteLine(TableText(HtmlTable.Of(table.Rows)));
                Write(ChartImage.Png(StudyChart.Of(table)), "study chart");
                break;
            case ExperimentResult result:
                Console.WriteLine($"{RunName.Of(result.Configuration)}: run folder {result.RunFolder}");
                if (result.History.Epochs.Count > 0) Write(ChartImage.Png(LossChart.Of(result.History, RunName.Of(result.Configuration))), "loss chart");
                Write(RunPages.Digits(result).Png(), "digit grid");
                break;
            case HtmlText html: Console.WriteLine(TableText(html.Html)); break;
            default: Console.WriteLine(value); break;
        }
    }

    private static void Write(byte[] png, string what)
    {
        if (folder is null) throw new InvalidOperationException("FileDisplay.Start() names the figures' folder first.");
        var path = Path.Combine(folder, $"figure-{++figures:D2}.png");
        File.WriteAllBytes(path, png);
        Console.WriteLine($"figure {figures} ({what}): {Path.GetRelativePath(shownFrom, path)}");
    }

    /// <summary>An HTML table as aligned text columns; other HTML without its tags.</summary>
    internal static string TableText(string html)
    {
        var rows = RowPattern().Matches(html)
            .Select(row => CellPattern().Matches(row.Value).Select(cell => Plain(cell.Groups[1].Value)).ToList())
            .Where(cells => cells.Count > 0).ToList();
        if (rows.Count == 0) return Plain(html);
        var widths = Enumerable.Range(0, rows.Max(r => r.Count)).Select(i => rows.Max(r => i < r.Count ? r[i].Length : 0)).ToList();
        var text = new StringBuilder();
        foreach (var row in rows) text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString().TrimEnd();
    }

    private static string Plain(string html) => WebUtility.HtmlDecode(TagPattern().Replace(html, "")).Trim();

    [GeneratedRegex(@"<tr\b.*?</tr>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"<t[dh]\b[^>]*>(.*?)</t[dh]>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CellPattern();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex TagPattern();
}

/// <summary>HTML given to <see cref="FileDisplay.HTML"/>.</summary>
public sealed record HtmlText(string Html)
{
    public override string ToString() => FileDisplay.TableText(Html);
}
