using SkiaSharp;

namespace ImageRestoration.Charts;

/// <summary>
/// A picture's legend, in a column of its own right of the panels: it never
/// covers data. Each entry shows how its series is drawn (a line with its dash
/// and marker, or a bar's colour) and its name.
/// </summary>
internal static class ChartLegend
{
    private const float TextSize = 12, Row = 20, Swatch = 28, Padding = 10;

    /// <summary>The column's width for these entries.</summary>
    public static int Width(IReadOnlyList<ChartSeries> entries)
    {
        using var font = Font();
        return (int)Math.Ceiling(Padding + Swatch + 6 + entries.Max(e => font.MeasureText(e.Name)) + Padding);
    }

    /// <summary>Draws the entries from <paramref name="left"/> to the canvas's right edge, starting at <paramref name="top"/>; returns the legend's box.</summary>
    public static SKRect Draw(SKCanvas canvas, IReadOnlyList<ChartSeries> entries, float left, float top)
    {
        using var font = Font();
        using var text = new SKPaint { Color = new SKColor(40, 40, 40), IsAntialias = true };
        for (var i = 0; i < entries.Count; i++)
        {
            var middle = top + Row * i + Row / 2;
            DrawSwatch(canvas, entries[i], left + Padding, middle);
            canvas.DrawText(entries[i].Name, left + Padding + Swatch + 6, middle + TextSize / 2 - 2, SKTextAlign.Left, font, text);
        }
        return new SKRect(left, top, left + Width(entries), top + Row * entries.Count);
    }

    private static void DrawSwatch(SKCanvas canvas, ChartSeries series, float left, float middle)
    {
        var colour = SKColor.Parse(series.Colour);
        using var paint = new SKPaint { Color = colour, IsAntialias = true, StrokeWidth = (float)Math.Max(series.LineWidth, 1.5) };
        if (series.Kind == SeriesKind.Bars)
        {
            canvas.DrawRect(left + 6, middle - 6, Swatch - 12, 12, paint);
            return;
        }
        if (series.Kind != SeriesKind.Markers)
        {
            paint.Style = SKPaintStyle.Stroke;
            using var dash = series.Dash switch
            {
                LineDash.Dashed => SKPathEffect.CreateDash([6, 4], 0),
                LineDash.Dotted => SKPathEffect.CreateDash([2, 3], 0),
                _ => null,
            };
            paint.PathEffect = dash;
            canvas.DrawLine(left, middle, left + Swatch, middle, paint);
            paint.PathEffect = null;
        }
        if (series.Kind == SeriesKind.Lines) return;
        paint.Style = SKPaintStyle.Fill;
        DrawMarker(canvas, series.Marker, left + Swatch / 2, middle, (float)Math.Min(series.MarkerSize, 10) / 2, paint);
    }

    private static void DrawMarker(SKCanvas canvas, MarkerShape shape, float x, float y, float radius, SKPaint paint)
    {
        if (shape == MarkerShape.Circle)
        {
            canvas.DrawCircle(x, y, radius, paint);
            return;
        }
        using var path = new SKPath();
        if (shape == MarkerShape.Diamond)
            path.AddPoly([new SKPoint(x, y - radius), new SKPoint(x + radius, y), new SKPoint(x, y + radius), new SKPoint(x - radius, y)]);
        else
            path.AddPoly([new SKPoint(x, y - radius), new SKPoint(x + radius, y + radius * 0.8f), new SKPoint(x - radius, y + radius * 0.8f)]);
        canvas.DrawPath(path, paint);
    }

    private static SKFont Font() => new(ChartImage.Typeface(bold: false), TextSize);
}
