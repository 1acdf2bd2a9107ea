using static TorchSharp.torch;

namespace ImageRestoration.Data;

/// <summary>
/// Square training patches cut from grey pictures (each 1 x H x W in [0,1]):
/// a picture is chosen in proportion to its area, then a position, then one
/// of the eight flips and quarter turns, all drawn from one generator seeded
/// with <c>seed</c>, so the same pictures and seed give the same patches.
/// </summary>
internal static class PatchSampler
{
    /// <summary>N x 1 x size x size patches, float32.</summary>
    public static Tensor Sample(IReadOnlyList<Tensor> pictures, int count, int size, long seed)
    {
        if (pictures.Count == 0) throw new ArgumentException("No pictures to cut patches from.", nameof(pictures));
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one patch.");
        foreach (var picture in pictures)
            if (picture.dim() != 3 || picture.shape[0] != 1 || picture.shape[1] < size || picture.shape[2] < size)
                throw new ArgumentException($"Every picture must be 1 x H x W with H, W >= {size}; one is {string.Join("x", picture.shape)}.");
        var random = new Random((int)(seed & int.MaxValue));
        var areas = pictures.Select(p => (double)p.shape[1] * p.shape[2]).ToArray();
        var total = areas.Sum();
        var patches = new Tensor[count];
        for (var i = 0; i < count; i++)
            patches[i] = Cut(pictures[Pick(areas, total, random)], size, random);
        var batch = stack(patches);
        foreach (var patch in patches) patch.Dispose();
        return batch;
    }

    private static int Pick(double[] areas, double total, Random random)
    {
        var target = random.NextDouble() * total;
        for (var i = 0; i < areas.Length; i++)
        {
            target -= areas[i];
            if (target < 0) return i;
        }
        return areas.Length - 1;
    }

    private static Tensor Cut(Tensor picture, int size, Random random)
    {
        using var scope = NewDisposeScope();
        var top = random.Next((int)picture.shape[1] - size + 1);
        var left = random.Next((int)picture.shape[2] - size + 1);
        var patch = picture.narrow(1, top, size).narrow(2, left, size);
        var turns = random.Next(4);
        if (turns > 0) patch = patch.rot90(turns, (1, 2));
        if (random.Next(2) == 1) patch = patch.flip(2);
        return patch.contiguous().MoveToOuterDisposeScope();
    }
}
