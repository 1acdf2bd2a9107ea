using ScottPlot;
using SkiaSharp;

namespace ImageRestoration.Charts;

/// <summary>
/// A bar's value label in a picture: past the bar's end when it fits in the
/// data area, else inside the bar's end in white, so that no label is cut at
/// the plot's edge.
/// </summary>
internal static class BarLabel
{
    private const float Gap = 3;

    /// <summary>Draws the label and returns its box (in the panel's pixels).</summary>
    public static SKRect Draw(SKCanvas canvas, Plot plot, Bar bar, string text, SKRect data, bool horizontal, float size)
    {
        using var font = new SKFont(ChartImage.Typeface(bold: false), size);
        var width = font.MeasureText(text);
        var end = plot.GetPixel(horizontal ? new Coordinates(bar.Value, bar.Position) : new Coordinates(bar.Position, bar.Value));
        var rising = bar.Value >= 0;
        var outside = Place(end, width, size, horizontal, rising, outward: true);
        var inside = !Within(outside, data);
        var box = inside ? Place(end, width, size, horizontal, rising, outward: false) : outside;
        using var paint = new SKPaint { Color = inside ? SKColors.White : new SKColor(40, 40, 40), IsAntialias = true };
        canvas.DrawText(text, box.Left, box.Bottom - 2, SKTextAlign.Left, font, paint);
        return box;
    }

    /// <summary>The label's box beside the bar's end: beyond it (<paramref name="outward"/>) or just within it.</summary>
    private static SKRect Place(Pixel end, float width, float size, bool horizontal, bool rising, bool outward)
    {
        var height = size + 4;
        if (horizontal)
        {
            var left = rising == outward ? end.X + Gap : end.X - Gap - width;
            return new SKRect(left, end.Y - height / 2, left + width, end.Y + height / 2);
        }
        var top = rising == outward ? end.Y - Gap - height : end.Y + Gap;
        return new SKRect(end.X - width / 2, top, end.X + width / 2, top + height);
    }

    private static bool Within(SKRect box, SKRect data) =>
        box.Left >= data.Left && box.Right <= data.Right && box.Top >= data.Top && box.Bottom <= data.Bottom;
}
