using ImageRestoration.Configuration;

namespace ImageRestoration.Training;

/// <summary>
/// A resume checked before anything starts: the run folder and the
/// configuration it trains on, its saved one with only the changes a resume
/// may make (<see cref="AllowedChanges.RequireResume"/>). Each configuration
/// is read and validated once; <see cref="Experiment.Resume"/> trains it.
/// </summary>
public sealed class ResumePlan
{
    private ResumePlan(RunFolder folder, ExperimentConfiguration configuration) => (Folder, Configuration) = (folder, configuration);

    public RunFolder Folder { get; }

    /// <summary>The configuration the resumed run trains with.</summary>
    public ExperimentConfiguration Configuration { get; }

    /// <summary>The saved configuration of the run in <paramref name="folder"/> with <paramref name="changes"/> (<c>key=value</c>), refused by key if a resume may not make them.</summary>
    public static ResumePlan For(RunFolder folder, IEnumerable<string> changes)
    {
        if (!File.Exists(folder.ConfigurationFile))
            throw new ConfigurationException($"{folder} is not a run folder: {folder.ConfigurationFile} is missing.");
        var saved = folder.LoadConfiguration();
        var configuration = ConfigurationFactory.Create(saved, changes);
        AllowedChanges.RequireResume(saved, configuration, folder.ToString());
        return new ResumePlan(folder, configuration);
    }
}
