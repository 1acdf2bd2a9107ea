using ImageRestoration.Evaluation;
using ImageRestoration.Metrics;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using static TorchSharp.torch;

namespace ImageRestoration.Photos;

/// <summary>
/// The shipped blind photo denoiser (<see cref="NoiseResidualNetwork"/>,
/// trained by <c>image-restoration train-photos</c>; data/models/photo-denoiser.json
/// records how) and the tiled way of running it on pictures of any size.
/// </summary>
public static class PhotoDenoiser
{
    public const string ModelFileName = "photo-denoiser.bin";

    /// <summary>The shipped weights: beside the program (the command line's build copies them there), else in the repository's models folder.</summary>
    public static string ShippedModelFile()
    {
        var besideProgram = Path.Combine(AppContext.BaseDirectory, ModelFileName);
        if (File.Exists(besideProgram)) return besideProgram;
        var inRepository = RepositoryRoot.Find() is { } root ? Path.Combine(root, "data", "models", ModelFileName) : null;
        return inRepository is not null && File.Exists(inRepository)
            ? inRepository
            : throw new FileNotFoundException($"The shipped model {ModelFileName} is neither beside the program nor in the repository's models folder.");
    }

    /// <summary>
    /// Loads a photo denoiser saved by <c>train-photos</c> (the shipped one when
    /// <paramref name="path"/> is null), of whichever photo kind its weights fit
    /// (<see cref="ModelCatalog.PhotoModels"/>, the shipped kind first); a file
    /// that fits none is refused with the first kind's reason.
    /// </summary>
    public static NoiseResidualNetwork Load(string? path = null)
    {
        TorchRuntime.Initialize();
        var file = path ?? ShippedModelFile();
        InvalidDataException? first = null;
        foreach (var kind in ModelCatalog.PhotoModels)
        {
            try
            {
                return (NoiseResidualNetwork)RestorationModel.Load(file, kind);
            }
            catch (InvalidDataException e)
            {
                first ??= e;
            }
        }
        throw first!;
    }

    /// <summary>Tiles of <paramref name="tile"/> pixels with a margin of the model's receptive radius, cut on its blocks: no seams.</summary>
    internal static TiledRestorer Tiled(NoiseResidualNetwork model, int tile = 512) => new(model, model.ReceptiveRadius, tile, model.Alignment);

    /// <summary>Restores a C x H x W picture (bytes or floats in [0,1]) channel by channel, in tiles.</summary>
    public static Tensor Restore(NoiseResidualNetwork model, Tensor picture, int tile = 512, Action<long, long>? progress = null) =>
        Tiled(model, tile).Restore(picture, progress);

    /// <summary>
    /// The small test crop the shipped model's record quotes: 96x96 of camera.png
    /// (a test picture) from row 160, column 192, with noise of sigma 25 drawn
    /// from seed 11. Returns the noisy and the restored PSNR in dB.
    /// </summary>
    public static (double Noisy, double Restored) CheckCrop(NoiseResidualNetwork model, string photoDirectory)
    {
        using var scope = NewDisposeScope();
        var clean = PhotoFile.Read(Path.Combine(photoDirectory, "camera.png")).narrow(1, 160, 96).narrow(2, 192, 96);
        var noisy = PhotoStudy.Noisy(clean, 25, 11);
        var restored = Restore(model, noisy);
        return (Psnr.Mean(noisy.unsqueeze(0), clean.unsqueeze(0)), Psnr.Mean(restored.unsqueeze(0), clean.unsqueeze(0)));
    }
}
