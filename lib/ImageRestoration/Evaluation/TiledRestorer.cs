using static TorchSharp.torch;

namespace ImageRestoration.Evaluation;

/// <summary>
/// Runs a fully convolutional grey model over a picture of any size in
/// overlapping tiles, one channel at a time, so memory depends on the tile and
/// not on the picture. Each tile is cut with a margin of
/// <c>margin</c> pixels of real picture around it (at least the model's
/// receptive radius) and only its centre is kept: every kept pixel sees
/// exactly what it would see in the whole picture, so there are no seams and
/// the result equals the untiled one up to float rounding. A model that
/// works on blocks of pixels (2x2 at half resolution) gives its
/// <c>alignment</c>: every cut then starts on a multiple of it, so a tile is
/// split into the same blocks as the whole picture.
/// </summary>
internal sealed class TiledRestorer(nn.Module<Tensor, Tensor> model, int margin, int tile = 512, int alignment = 1)
{
    public int Margin { get; } = margin >= 0 ? margin : throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin cannot be negative.");
    public int Tile { get; } = tile >= 1 ? tile : throw new ArgumentOutOfRangeException(nameof(tile), tile, "A tile has at least one pixel.");
    public int Alignment { get; } = alignment >= 1 ? alignment : throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "Cuts align to at least one pixel.");

    /// <summary>How many tiles <see cref="Restore"/> runs for a C x H x W picture.</summary>
    public long TileCount(Tensor picture) =>
        picture.shape[0] * ((picture.shape[1] + Tile - 1) / Tile) * ((picture.shape[2] + Tile - 1) / Tile);

    /// <summary>
    /// The restored C x H x W picture, of the input's type: bytes (0..255) or
    /// floats in [0,1]. <paramref name="progress"/> hears (tiles done, tiles in all).
    /// </summary>
    public Tensor Restore(Tensor picture, Action<long, long>? progress = null)
    {
        if (picture.dim() != 3) throw new ArgumentException($"Expected a picture C x H x W, got [{string.Join(", ", picture.shape)}].", nameof(picture));
        model.eval();
        using var _ = no_grad();
        var output = empty_like(picture);
        var (done, total) = (0L, TileCount(picture));
        for (var channel = 0; channel < picture.shape[0]; channel++)
        for (long top = 0; top < picture.shape[1]; top += Tile)
        for (long left = 0; left < picture.shape[2]; left += Tile)
        {
            RestoreTile(picture, output, channel, top, left);
            progress?.Invoke(++done, total);
        }
        return output;
    }

    private void RestoreTile(Tensor picture, Tensor output, int channel, long top, long left)
    {
        using var scope = NewDisposeScope();
        var (height, width) = (picture.shape[1], picture.shape[2]);
        var (tileHeight, tileWidth) = (Math.Min(Tile, height - top), Math.Min(Tile, width - left));
        var (y0, x0) = (Aligned(top - Margin), Aligned(left - Margin));
        var (y1, x1) = (Math.Min(height, top + tileHeight + Margin), Math.Min(width, left + tileWidth + Margin));
        var input = picture[channel].narrow(0, y0, y1 - y0).narrow(1, x0, x1 - x0);
        var floats = picture.dtype == ScalarType.Byte ? input.to(ScalarType.Float32).div_(255f) : input.to(ScalarType.Float32);
        var restored = model.forward(floats.unsqueeze(0).unsqueeze(0))[0, 0].narrow(0, top - y0, tileHeight).narrow(1, left - x0, tileWidth);
        var result = picture.dtype == ScalarType.Byte ? restored.mul(255f).round_().clamp_(0, 255).to(ScalarType.Byte) : restored.to(picture.dtype);
        output[channel].narrow(0, top, tileHeight).narrow(1, left, tileWidth).copy_(result);
    }

    /// <summary>Where a cut starts: at or before <paramref name="start"/>, on a multiple of the alignment, not before the picture.</summary>
    private long Aligned(long start) => start <= 0 ? 0 : start / Alignment * Alignment;
}
