using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>
/// How long the notebooks train: the class profile (the default) shows the
/// presentation's curves on all 60,000 images in a lesson's time, the quick
/// profile runs every notebook in minutes for CI, the full profile is the
/// presentation's own run (100 epochs). Chosen by one environment variable,
/// <c>IMAGE_RESTORATION_PROFILE=class|quick|full</c>, which each notebook's
/// configuration cell reads. The figures the notebooks print come from the
/// run at hand, whichever profile made it.
/// </summary>
public sealed class NotebookProfile
{
    public const string EnvironmentVariable = "IMAGE_RESTORATION_PROFILE";

    /// <summary>
    /// Extra <c>key=value</c> overrides for every notebook, separated by
    /// semicolons (<c>IMAGE_RESTORATION_OVERRIDES="epochs=20;seed=7"</c>), applied
    /// last, after the profile's and the notebook's own: reruns with edited
    /// hyperparameters without editing a notebook.
    /// </summary>
    public const string OverridesVariable = "IMAGE_RESTORATION_OVERRIDES";

    private NotebookProfile(string name, string description, string cost, IReadOnlyList<string> overrides, IReadOnlyList<string> studyOverrides,
        IReadOnlyList<string>? parameters = null)
    {
        Name = name;
        Description = description;
        Cost = cost;
        Overrides = overrides;
        StudyOverrides = studyOverrides;
        Parameters = parameters ?? [];
    }

    /// <summary>15 epochs on all 60,000 training and 10,000 test images: curves long enough to read, a training in about two minutes.</summary>
    public static NotebookProfile Class { get; } = new("class",
        "15 epochs on all 60,000 training images, validated on all 10,000 test images; notebook 07's degradation and capacity studies train 2 epochs on the first 30,000 (its baselines and noise sweep reuse notebook 05's run)",
        "about 2 minutes per training of the presentation's model (15 epochs at 6 to 9 s per epoch at 2 threads); " +
        "the whole collection's time, measured on a quiet 2-core machine, is in notebooks/README.md",
        ["epochs=15"], ["epochs=2", "trainLimit=30000", "testLimit=2000"]);

    /// <summary>2 epochs on the first 30,000 training images, validated on the first 2,000 test images.</summary>
    public static NotebookProfile Quick { get; } = new("quick",
        "2 epochs on the first 30,000 training images, validated on the first 2,000 test images",
        "seconds to a few minutes per notebook; the times measured on a 2-core machine are in notebooks/README.md",
        ["epochs=2", "trainLimit=30000", "testLimit=2000"], []);

    /// <summary>The presentation's configuration unchanged: 100 epochs on all 60,000 training and 10,000 test images.</summary>
    public static NotebookProfile Full { get; } = new("full",
        "the presentation's 100 epochs on all 60,000 training images, validated on all 10,000 test images",
        "the presentation model's 100 epochs took 10 minutes 10 seconds from the command line at 2 threads on a quiet 2-core machine: 10 to 15 minutes per training, hours for notebook 07",
        [], []);

    public static IReadOnlyList<NotebookProfile> All { get; } = [Class, Quick, Full];

    /// <summary>class, quick or full.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>What running all the notebooks in this profile costs, as measured on this kit's 2-core machine.</summary>
    public string Cost { get; }

    /// <summary>The configuration keys this profile changes from the presentation's defaults.</summary>
    public IReadOnlyList<string> Overrides { get; }

    /// <summary>
    /// The notebook's parameters in force (<see cref="With"/>), as <c>key=value</c>:
    /// applied over the profile's values, under the notebook's own keys and the environment's overrides.
    /// </summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>
    /// This profile with a notebook's parameters (the variables of its cell
    /// tagged <c>parameters</c>, as an anonymous object: <c>new { epochs,
    /// learningRate }</c>); null ones keep the profile's values
    /// (<see cref="NotebookParameters"/>). Every edit changes the run's name, so
    /// it trains into a folder of its own.
    /// </summary>
    public NotebookProfile With(object parameters) =>
        new(Name, Description, Cost, Overrides, StudyOverrides, [.. Parameters, .. NotebookParameters.Overrides(parameters)]);

    /// <summary>
    /// What notebook 07's studies change on top of <see cref="Overrides"/>:
    /// they train nine models, so a profile may give them a smaller budget.
    /// </summary>
    public IReadOnlyList<string> StudyOverrides { get; }

    /// <summary>
    /// Where this profile's runs are saved: <c>runs/notebooks/NAME</c> in the
    /// repository (which git ignores), so that quick and full runs never
    /// overwrite each other and later notebooks find what earlier ones trained.
    /// </summary>
    public string LogDirectory => Path.Combine(RepositoryRoot.Find() ?? Environment.CurrentDirectory, "runs", "notebooks", Name);

    /// <summary>The profile that <c>IMAGE_RESTORATION_PROFILE</c> names; class when it is unset.</summary>
    public static NotebookProfile FromEnvironment() =>
        Named(Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);

    /// <summary>The profile of that name (class when empty); any other name is an error that lists the profiles.</summary>
    public static NotebookProfile Named(string? name, string source = "profile")
    {
        if (string.IsNullOrWhiteSpace(name)) return Class;
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw new ConfigurationException(
                   $"{source} = '{name}': unknown profile; use {string.Join(", ", All.Select(p => p.Name))}.");
    }

    /// <summary>
    /// The presentation's configuration with this profile's changes and its
    /// log directory, then the notebook's parameters (<see cref="With"/>), then the notebook's own <paramref name="overrides"/>
    /// (<c>key=value</c>, such as <c>mode=denoising</c>), then those in
    /// <c>IMAGE_RESTORATION_OVERRIDES</c>, which always win; validated.
    /// </summary>
    public ExperimentConfiguration Configuration(params string[] overrides) =>
        new ExperimentConfiguration { LogDirectory = LogDirectory }.With([.. Overrides, .. Parameters, .. overrides, .. EnvironmentOverrides()]);

    /// <summary>
    /// <see cref="Configuration"/> with the budget of notebook 07's studies
    /// (<see cref="StudyOverrides"/>), then the notebook's parameters, then its own keys; the
    /// environment's overrides still win.
    /// </summary>
    public ExperimentConfiguration StudyConfiguration(params string[] overrides) =>
        new ExperimentConfiguration { LogDirectory = LogDirectory }.With([.. Overrides, .. StudyOverrides, .. Parameters, .. overrides, .. EnvironmentOverrides()]);

    /// <summary>The overrides <c>IMAGE_RESTORATION_OVERRIDES</c> holds, for a notebook to say which are in force.</summary>
    public static string[] EnvironmentOverrides() =>
        (Environment.GetEnvironmentVariable(OverridesVariable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Training progress for a notebook. In a kernel, at verbosity 1 or 2:
    /// one output updated in place (<see cref="LiveTrainingProgress"/>: a bar,
    /// then the loss chart after each epoch). Elsewhere: one finished line
    /// per epoch, no live redraws.
    /// </summary>
    public static TrainingProgress Progress(ExperimentConfiguration configuration, TextWriter? output = null) =>
        configuration.Verbosity > 0 && InteractiveKernel.IsRunningACell
            ? new LiveTrainingProgress(configuration.Epochs, RunName.Of(configuration), output ?? Console.Out)
            : new TrainingProgress(output ?? Console.Out, configuration.Verbosity, configuration.Epochs, live: false);

    public override string ToString() =>
        $"{Name} profile: {Description} ({Cost})" + (Parameters.Count > 0 ? $"; parameters: {string.Join(", ", Parameters)}" : "");
}
