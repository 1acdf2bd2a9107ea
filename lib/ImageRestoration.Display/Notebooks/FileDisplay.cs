using System.Runtime.CompilerServices;
using ImageRestoration.Charts;
using ImageRestoration.Photos;

namespace ImageRestoration.Notebooks;

/// <summary>
/// What a lesson shows, when it runs as a .NET file-based app
/// (<c>dotnet run notebooks/apps/NN-name.cs</c>) instead of in a kernel: the
/// kernel's <c>display</c>, with each figure written as a PNG
/// file in a folder next to the app (<c>apps/NN-name/figure-01.png</c>: the
/// same picture the notebook shows), tables and text on the console, from the
/// same parts a notebook shows (<see cref="NotebookDisplay.Parts"/>). Inside
/// a kernel <c>display</c> shows the value as the notebook would. The
/// generated apps open with <c>using static ImageRestoration.Notebooks.FileDisplay;</c>
/// and call <see cref="Start"/>.
/// </summary>
public static class FileDisplay
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

    /// <summary>The kernel's <c>display</c>: in a kernel, the notebook's output; in an app, PNG files and console text.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "the kernel's name, so that a cell reads the same in both")]
    public static void display(object? value)
    {
        if (value is null) return;
        if (InteractiveKernel.IsRunningACell)
        {
            InteractiveKernel.Display(NotebookDisplay.Html(value));
            return;
        }
        foreach (var part in NotebookDisplay.Parts(value))
        {
            switch (part)
            {
                case ChartDescription chart: Write(ChartImage.Png(chart), chart.ToString()); break;
                case DigitGridFigure grid: Write(grid.Png(), grid.Title ?? "digit grid"); break;
                case PhotoFigure photos: Write(photos.Png(), photos.ToString()); break;
                default: Console.WriteLine(part); break;
            }
        }
    }

    private static void Write(byte[] png, string what)
    {
        if (folder is null) throw new InvalidOperationException("FileDisplay.Start() names the figures' folder first.");
        var path = Path.Combine(folder, $"figure-{++figures:D2}.png");
        File.WriteAllBytes(path, png);
        Console.WriteLine($"figure {figures} ({what}): {Path.GetRelativePath(shownFrom, path)}");
    }
}
