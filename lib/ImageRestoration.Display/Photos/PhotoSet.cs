using static TorchSharp.torch;

namespace ImageRestoration.Photos;

/// <summary>
/// The natural photographs the photo denoiser is trained and tested on:
/// scikit-image's sample pictures from Debian's python3-skimage, copied by
/// .devcontainer/install-prerequisites.sh (data/README.md lists each with
/// its licence). The test pictures are fixed and never used for training.
/// </summary>
public static class PhotoSet
{
    /// <summary>Where the prerequisite script puts the pictures.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/scikit-image-photos";

    /// <summary>Another folder holding the same files.</summary>
    public const string EnvironmentVariable = "IMAGE_RESTORATION_PHOTOS";

    public static readonly IReadOnlyList<string> Train =
    [
        "astronaut.png", "brick.png", "coffee.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "ihc.png", "retina.jpg", "rocket.jpg",
    ];

    /// <summary>A grey photograph, a colour one, and a grey one of small round objects.</summary>
    public static readonly IReadOnlyList<string> Test = ["camera.png", "chelsea.png", "coins.png"];

    /// <summary>The folder given, else the environment variable's, else <see cref="DefaultDirectory"/>; it must hold every picture.</summary>
    public static string Directory(string? given = null)
    {
        TorchRuntime.Initialize();
        var directory = given ?? Environment.GetEnvironmentVariable(EnvironmentVariable) ?? DefaultDirectory;
        var missing = Train.Concat(Test).Where(name => !File.Exists(Path.Combine(directory, name))).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{directory}: the photographs {string.Join(", ", missing)} are missing; " +
                                           "run .devcontainer/install-prerequisites.sh (it takes them out of Debian's python3-skimage).");
        return directory;
    }

    /// <summary>The named pictures as grey 1 x H x W floats in [0,1] (colour ones by their luma).</summary>
    public static List<Tensor> LoadGrey(string directory, IEnumerable<string> names) =>
        [.. names.Select(name => Grey(PhotoFile.Read(Path.Combine(directory, name))))];

    /// <summary>ITU-R BT.601 luma of a colour picture; a grey one as it is. Disposes its input when it makes a new tensor.</summary>
    public static Tensor Grey(Tensor picture)
    {
        if (picture.shape[0] == 1) return picture;
        using (picture)
        using (var weights = tensor(new[] { 0.299f, 0.587f, 0.114f }).view(3, 1, 1))
            return (picture * weights).sum([0], keepdim: true);
    }
}
