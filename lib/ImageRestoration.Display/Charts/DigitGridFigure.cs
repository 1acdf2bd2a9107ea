using SkiaSharp;

namespace ImageRestoration.Charts;

/// <summary>
/// The presentation's rows of digits as one picture: row titles on the left,
/// column titles (the labels) on top, each digit black 0 to white 1 with its
/// pixels drawn square and sharp. A PNG, so it shows wherever the notebook is
/// read, with or without scripts; in a notebook it displays itself.
/// </summary>
public sealed class DigitGridFigure
{
    private const int Gap = 4, Margin = 6, TitleHeight = 28, HeaderHeight = 18;
    private byte[]? png;

    internal DigitGridFigure(IReadOnlyList<GridRow> rows, IReadOnlyList<string> columnTitles, string? title, int cellSize)
    {
        if (rows.Count == 0 || rows.All(r => r.Images.Count == 0)) throw new ArgumentException("A grid needs at least one picture.", nameof(rows));
        if (cellSize < 8) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "A cell needs at least 8 pixels.");
        Rows = rows;
        ColumnTitles = columnTitles;
        Title = string.IsNullOrWhiteSpace(title) ? null : title;
        CellSize = cellSize;
    }

    internal IReadOnlyList<GridRow> Rows { get; }

    /// <summary>The labels above the columns; empty when there are none.</summary>
    public IReadOnlyList<string> ColumnTitles { get; }

    public string? Title { get; }

    /// <summary>The side of one picture's square, in pixels.</summary>
    public int CellSize { get; }

    public int Columns => Rows.Max(r => r.Images.Count);

    /// <summary>The picture, encoded once.</summary>
    public byte[] Png() => png ??= Draw();

    /// <summary>An HTML fragment with the picture inside (a data URI): a notebook output that needs no script and no file.</summary>
    public string ToHtml()
    {
        var (width, height) = Size();
        return ChartImage.Img(Png(), width, height, ToString());
    }

    /// <summary>Writes the PNG (atomically) and returns its full path.</summary>
    public string Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full + ".tmp", Png());
        File.Move(full + ".tmp", full, overwrite: true);
        return full;
    }

    /// <summary>What the grid shows, in words: for a console, and as the picture's alternative text.</summary>
    public override string ToString() =>
        $"{Title ?? "Digits"}: rows {string.Join(", ", Rows.Select(r => r.Title))}" +
        (ColumnTitles.Count > 0 ? $"; labels {string.Join(" ", ColumnTitles)}" : $"; {Columns} pictures per row");

    /// <summary>The picture's width and height in pixels.</summary>
    public (int Width, int Height) Size()
    {
        var left = RowTitleWidth();
        return (left + Columns * CellSize + Margin, Top() + Rows.Count * CellSize + Margin);
    }

    /// <summary>Where the picture of row <paramref name="row"/>, column <paramref name="column"/> is drawn: its square cell.</summary>
    public (int X, int Y, int Size) Cell(int row, int column) => (RowTitleWidth() + column * CellSize, Top() + row * CellSize, CellSize);

    private int Top() => (Title is null ? Margin : TitleHeight) + (ColumnTitles.Count > 0 ? HeaderHeight : 0);

    private int RowTitleWidth()
    {
        using var font = Font(bold: true);
        return (int)Math.Ceiling(Rows.Max(r => font.MeasureText(r.Title))) + 3 * Margin;
    }

    private static SKFont Font(bool bold, float size = 13) => new(ChartImage.Typeface(bold), size);

    private byte[] Draw()
    {
        var (width, height) = Size();
        var (left, top, _) = Cell(0, 0);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var bold = Font(bold: true);
        using var plain = Font(bold: false);
        if (Title is not null)
        {
            using var titleFont = Font(bold: true, size: 15);
            canvas.DrawText(Title, width / 2f, 20, SKTextAlign.Center, titleFont, ink);
        }
        for (var c = 0; c < ColumnTitles.Count && c < Columns; c++)
            canvas.DrawText(ColumnTitles[c], left + (c + 0.5f) * CellSize, top - 5, SKTextAlign.Center, plain, ink);
        for (var r = 0; r < Rows.Count; r++)
        {
            var rowTop = top + r * CellSize;
            canvas.DrawText(Rows[r].Title, left - 2 * Margin, rowTop + CellSize / 2f + 5, SKTextAlign.Right, bold, ink);
            for (var c = 0; c < Rows[r].Images.Count; c++)
            {
                using var picture = Picture(Rows[r].Images[c]);
                // Keep the picture's proportions (codes are wider than tall) inside the square cell.
                var room = CellSize - Gap;
                var scale = Math.Min((float)room / picture.Width, (float)room / picture.Height);
                var (w, h) = (picture.Width * scale, picture.Height * scale);
                var x = left + c * CellSize + (CellSize - w) / 2;
                var y = rowTop + (CellSize - h) / 2;
                canvas.DrawImage(picture, new SKRect(x, y, x + w, y + h), new SKSamplingOptions(SKFilterMode.Nearest));
            }
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Values in [0,1] as grey levels; missing pixels (between tiled channels) as the page's white.</summary>
    private static SKImage Picture(double?[][] values)
    {
        var (height, width) = (values.Length, values.Max(r => r.Length));
        var pixels = new byte[height * width];
        for (var i = 0; i < height; i++)
        for (var j = 0; j < width; j++)
            pixels[i * width + j] = j < values[i].Length && values[i][j] is { } v ? (byte)Math.Round(255 * Math.Clamp(v, 0, 1)) : (byte)255;
        using var data = SKData.CreateCopy(pixels);
        return SKImage.FromPixels(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), data, width);
    }
}
