using ImageRestoration.Charts;
using SkiaSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Photos;

/// <summary>
/// Photographs side by side, each with a zoomed crop of the same region below
/// it (nearest-neighbour, so noise and smoothing show pixel by pixel), and a
/// caption under each: noisy / restored / original, drawn as one PNG.
/// </summary>
public sealed class PhotoFigure
{
    private const int Caption = 22, Gap = 8;
    private readonly List<(string Caption, Tensor Picture)> panels;

    /// <param name="panels">Captions and C x H x W pictures in [0,1], all the same size.</param>
    /// <param name="crop">The zoomed region (top, left, side) in picture pixels; null for a centred square of a quarter of the shorter side.</param>
    /// <param name="width">Each panel's width on the page.</param>
    public PhotoFigure(IEnumerable<(string Caption, Tensor Picture)> panels, (int Top, int Left, int Side)? crop = null, int width = 300)
    {
        this.panels = [.. panels];
        if (this.panels.Count == 0) throw new ArgumentException("A figure needs at least one picture.", nameof(panels));
        var (h, w) = ((int)this.panels[0].Picture.shape[1], (int)this.panels[0].Picture.shape[2]);
        var side = Math.Max(4, Math.Min(h, w) / 4);
        Crop = crop ?? ((h - side) / 2, (w - side) / 2, side);
        Width = width;
    }

    public (int Top, int Left, int Side) Crop { get; }
    public int Width { get; }

    public override string ToString() =>
        $"{string.Join(" / ", panels.Select(p => p.Caption))}, with a zoomed {Crop.Side}x{Crop.Side} crop of each below";

    /// <summary>The figure as a PNG.</summary>
    public byte[] Png()
    {
        var picture = panels[0].Picture;
        var height = (int)Math.Round(Width * (double)picture.shape[1] / picture.shape[2]);
        using var surface = SKSurface.Create(new SKImageInfo(panels.Count * (Width + Gap) - Gap, height + Gap + Width + Caption, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(ChartImage.Typeface(bold: false), 14);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var i = 0; i < panels.Count; i++)
        {
            var x = i * (Width + Gap);
            using var image = PhotoFile.ToImage(panels[i].Picture);
            canvas.DrawImage(image, new SKRect(x, 0, x + Width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
            var (top, left, side) = Crop;
            canvas.DrawImage(image, new SKRect(left, top, left + side, top + side), new SKRect(x, height + Gap, x + Width, height + Gap + Width),
                new SKSamplingOptions(SKFilterMode.Nearest));
            canvas.DrawText(panels[i].Caption, x + Width / 2f, height + Gap + Width + Caption - 6, SKTextAlign.Center, font, paint);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The figure as the kit's notebook figures show: an inline PNG that needs no script.</summary>
    public string ToHtml()
    {
        var png = Png();
        using var bitmap = SKBitmap.Decode(png);
        return ChartImage.Img(png, bitmap.Width, bitmap.Height, ToString());
    }
}
