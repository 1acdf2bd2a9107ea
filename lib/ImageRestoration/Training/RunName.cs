using System.Security.Cryptography;
using System.Text;
using ImageRestoration.Configuration;
using ImageRestoration.Models;

namespace ImageRestoration.Training;

/// <summary>
/// A run's name: readable (model, mode, degradation, seed) and a hash of
/// every setting that changes results, as in <c>clean-seed42-1a2b3c4d</c>.
/// Rerunning one configuration finds its own folder again, and a run with any
/// such setting changed (epochs, learning rate, batch size...) gets a folder
/// of its own instead of overwriting another.
/// </summary>
public static class RunName
{
    public static string Of(ExperimentConfiguration configuration) =>
        (configuration.Model == ModelCatalog.Presentation ? "" : configuration.Model.ToLowerInvariant() + "-") +
        (configuration.Mode == TrainingMode.Clean ? "clean" : "denoising-" + configuration.Degradation.Create().Name) +
        $"-seed{configuration.Seed}-{Fingerprint(configuration)}";

    /// <summary>
    /// What every checkpoint of one run carries to name it: the run name with
    /// the epoch count left out, since a resumed run may be given more epochs.
    /// </summary>
    public static string Identity(ExperimentConfiguration configuration) => Of(configuration with { Epochs = 1 });

    /// <summary>
    /// True when <paramref name="name"/> is the run of <paramref name="configuration"/>
    /// trained for its epochs or fewer: a resumed run may have been given more
    /// epochs than its name was made with.
    /// </summary>
    public static bool Names(string name, ExperimentConfiguration configuration)
    {
        for (var epochs = configuration.Epochs; epochs >= 1; epochs--)
            if (Of(configuration with { Epochs = epochs }) == name) return true;
        return false;
    }

    /// <summary>
    /// Eight hex digits of a SHA-256 over the JSON of every key that changes
    /// results (<see cref="ExperimentConfiguration.IsSameExperimentAs"/>), and over
    /// the layers of a model registered from a notebook (<see cref="ModelCatalog.Fingerprint"/>).
    /// </summary>
    private static string Fingerprint(ExperimentConfiguration configuration)
    {
        // Hashed as written before the renames, so existing folders, checkpoints and recorded runs keep their names.
        var text = FormerNames.AsFormerlyWritten(configuration.Essence().ToJson(), configuration.Model) + ModelCatalog.Fingerprint(configuration.Model);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }
}
