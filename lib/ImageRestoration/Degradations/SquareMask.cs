using static TorchSharp.torch;

namespace ImageRestoration.Degradations;

/// <summary>
/// Inpainting: one square of <see cref="Size"/> x <see cref="Size"/> pixels
/// per image is lost (set to 0, as <see cref="RandomMask"/> loses pixels). Its
/// top-left corner is drawn uniformly, per image, among the positions where
/// the whole square fits inside the picture.
/// </summary>
internal sealed class SquareMask : Degradation
{
    public SquareMask(int size = 8)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "The square's side must be at least one pixel.");
        Size = size;
    }

    /// <summary>The square's side in pixels.</summary>
    public int Size { get; }

    public override string Name => $"square-mask-{Size}";

    public override Tensor Apply(Tensor clean, Generator generator)
    {
        var (n, h, w) = (clean.shape[0], clean.shape[2], clean.shape[3]);
        if (Size > h || Size > w)
            throw new ArgumentException($"A {Size}x{Size} square does not fit in {h}x{w} images.", nameof(clean));
        using var scope = NewDisposeScope();
        var top = randint(0, h - Size + 1, [n, 1, 1, 1], ScalarType.Int64, generator: generator);
        var left = randint(0, w - Size + 1, [n, 1, 1, 1], ScalarType.Int64, generator: generator);
        var rows = arange(h, ScalarType.Int64).view(1, 1, h, 1);
        var columns = arange(w, ScalarType.Int64).view(1, 1, 1, w);
        var lost = (rows >= top) & (rows < top + Size) & (columns >= left) & (columns < left + Size);
        return clean.masked_fill(lost, 0f).MoveToOuterDisposeScope();
    }
}
