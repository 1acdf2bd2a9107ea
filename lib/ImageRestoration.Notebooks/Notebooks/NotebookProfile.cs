using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>
/// How long the notebooks train: the quick profile runs every notebook in
/// minutes (CI, a first read), the full profile is the presentation's own
/// run (100 epochs on all 60,000 images). Chosen by one environment variable,
/// <c>IMAGE_RESTORATION_PROFILE=quick|full</c> (quick when unset), which each
/// notebook's configuration cell reads. The figures the notebooks print come
/// from the run at hand, whichever profile made it.
/// </summary>
public sealed class NotebookProfile
{
    public const string EnvironmentVariable = "IMAGE_RESTORATION_PROFILE";

    /// <summary>
    /// Extra <c>key=value</c> overrides for every notebook, separated by
    /// semicolons (<c>IMAGE_RESTORATION_OVERRIDES="epochs=20;seed=7"</c>), applied
    /// after the profile's: reruns with edited hyperparameters without editing a notebook.
    /// </summary>
    public const string OverridesVariable = "IMAGE_RESTORATION_OVERRIDES";

    private NotebookProfile(string name, string description, IReadOnlyList<string> overrides)
    {
        Name = name;
        Description = description;
        Overrides = overrides;
    }

    /// <summary>2 epochs on the first 30,000 training images, validated on the first 2,000 test images.</summary>
    public static NotebookProfile Quick { get; } = new("quick",
        "2 epochs on the first 30,000 training images, validated on the first 2,000 test images (a few minutes for all notebooks)",
        ["epochs=2", "trainLimit=30000", "testLimit=2000"]);

    /// <summary>The presentation's configuration unchanged: 100 epochs on all 60,000 training and 10,000 test images.</summary>
    public static NotebookProfile Full { get; } = new("full",
        "the presentation's 100 epochs on all 60,000 training images, validated on all 10,000 test images",
        []);

    public static IReadOnlyList<NotebookProfile> All { get; } = [Quick, Full];

    /// <summary>quick or full.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>The configuration keys this profile changes from the presentation's defaults.</summary>
    public IReadOnlyList<string> Overrides { get; }

    /// <summary>
    /// Where this profile's runs are saved: <c>runs/notebooks/NAME</c> in the
    /// repository (which git ignores), so that quick and full runs never
    /// overwrite each other and later notebooks find what earlier ones trained.
    /// </summary>
    public string LogDirectory => Path.Combine(RepositoryRoot.Find() ?? Environment.CurrentDirectory, "runs", "notebooks", Name);

    /// <summary>The profile that <c>IMAGE_RESTORATION_PROFILE</c> names; quick when it is unset.</summary>
    public static NotebookProfile FromEnvironment() =>
        Named(Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);

    /// <summary>The profile of that name (quick when empty); any other name is an error that lists the profiles.</summary>
    public static NotebookProfile Named(string? name, string source = "profile")
    {
        if (string.IsNullOrWhiteSpace(name)) return Quick;
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw new ConfigurationException(
                   $"{source} = '{name}': unknown profile; use {string.Join(" or ", All.Select(p => p.Name))}.");
    }

    /// <summary>
    /// The presentation's configuration with this profile's changes, its log
    /// directory, the overrides in <c>IMAGE_RESTORATION_OVERRIDES</c>, then
    /// <paramref name="overrides"/> (<c>key=value</c>, such as <c>mode=denoising</c>); validated.
    /// </summary>
    public ExperimentConfiguration Configuration(params string[] overrides) =>
        new ExperimentConfiguration { LogDirectory = LogDirectory }.With([.. Overrides, .. EnvironmentOverrides(), .. overrides]);

    private static string[] EnvironmentOverrides() =>
        (Environment.GetEnvironmentVariable(OverridesVariable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Training progress for a notebook: one finished line per epoch (at verbosity 1 or 2), no live redraws.</summary>
    public static TrainingProgress Progress(ExperimentConfiguration configuration, TextWriter? output = null) =>
        new(output ?? Console.Out, configuration.Verbosity, configuration.Epochs, live: false);

    public override string ToString() => $"{Name} profile: {Description}";
}
