using static TorchSharp.torch;

namespace ImageRestoration.Data;

/// <summary>
/// The presentation's "Data import": uint8 images become float32 in [0,1]
/// (divided by 255) shaped N x 1 x 28 x 28, with their labels kept for the grids.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private readonly string imagesFile;

    private ImageDataset(Tensor images, byte[] labels, string source, string imagesFile)
    {
        Images = images;
        Labels = labels;
        Source = source;
        this.imagesFile = imagesFile;
    }

    /// <summary>N x 1 x H x W, float32, values in [0,1].</summary>
    public Tensor Images { get; }

    public byte[] Labels { get; }

    /// <summary>Where the images were read from.</summary>
    public string Source { get; }

    public int Count => Labels.Length;

    /// <summary>
    /// Reads one split from a directory holding the four standard files (.gz or raw).
    /// A positive <paramref name="limit"/> keeps only the first that many images.
    /// </summary>
    public static ImageDataset Load(string directory, DatasetSplit split, int limit = 0)
    {
        TorchRuntime.Initialize();
        var (imagesName, labelsName) = split == DatasetSplit.Train
            ? (MnistFiles.TrainImages, MnistFiles.TrainLabels)
            : (MnistFiles.TestImages, MnistFiles.TestLabels);
        var imagesPath = MnistFiles.Find(directory, imagesName)
                         ?? throw new FileNotFoundException($"{Path.Combine(directory, imagesName)}(.gz) not found.");
        var labelsPath = MnistFiles.Find(directory, labelsName)
                         ?? throw new FileNotFoundException($"{Path.Combine(directory, labelsName)}(.gz) not found.");

        var images = IdxFile.Read(imagesPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException(
                $"{imagesPath}: images must have 3 dimensions (count x height x width), found {images.Dimensions.Length} ({string.Join("x", images.Dimensions)}).");
        var labels = IdxFile.Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsPath}: labels must have 1 dimension, found {labels.Dimensions.Length}.");
        if (labels.Count != images.Count)
            throw new InvalidDataException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels: the pair does not match.");
        if (images.Count == 0) throw new InvalidDataException($"{imagesPath}: holds no images.");
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be 0 (all) or positive.");

        var count = limit > 0 ? Math.Min(limit, images.Count) : images.Count;
        var (height, width) = (images.Dimensions[1], images.Dimensions[2]);
        using var bytes = tensor(images.Data, [images.Count, 1, height, width], ScalarType.Byte);
        using var kept = bytes.narrow(0, 0, count);
        var floats = kept.to(ScalarType.Float32).div_(255f);
        return new ImageDataset(floats, labels.Data[..count], directory, imagesPath);
    }

    /// <summary>Refuses images of another size than a model takes, before any of them reaches the model.</summary>
    public void RequireImageSize(int height, int width)
    {
        var (h, w) = (Images.shape[2], Images.shape[3]);
        if (h != height || w != width)
            throw new InvalidDataException($"{imagesFile}: the images are {h}x{w}; the configuration and its model take {height}x{width} (imageHeight x imageWidth).");
    }

    public void Dispose() => Images.Dispose();
}
