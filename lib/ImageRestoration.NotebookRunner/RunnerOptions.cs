using System.Globalization;

namespace ImageRestoration.NotebookRunner;

/// <summary>The runner's command line.</summary>
public sealed class RunnerOptions
{
    public const string Usage =
        """
        usage: notebook-runner [options] NOTEBOOK.ipynb|FOLDER...
          Runs each notebook cell by cell in a fresh .NET Interactive kernel started
          in the notebook's folder, writes the executed copy (with its outputs) to
          the output folder, and exits non-zero if any cell failed.
        options:
          --kernel PATH           dotnet-interactive to start (default: .tools/dotnet-interactive/dotnet-interactive
                                  in this repository, set up by .devcontainer/setup-kernel.sh)
          --output DIR            where executed copies go (default: artifacts/notebooks in this repository)
          --cell-timeout SECONDS  longest a cell may run (default 7200)
          --startup-timeout SECONDS  longest the kernel may take to start (default 180)
          --env KEY=VALUE         an environment variable for the kernel (repeatable),
                                  e.g. --env IMAGE_RESTORATION_PROFILE=quick
          --show-output           echo each cell's standard output under its line
        """;

    public List<string> Notebooks { get; } = [];
    public string? Kernel { get; set; }
    public string? Output { get; set; }
    public TimeSpan CellTimeout { get; set; } = TimeSpan.FromHours(2);
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(3);
    public Dictionary<string, string> Environment { get; } = [];
    public bool ShowOutput { get; set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            TimeSpan Seconds(string name)
            {
                var text = Value();
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                    ? TimeSpan.FromSeconds(s)
                    : throw new ArgumentException($"{name} = '{text}': give a positive number of seconds.");
            }

            switch (args[i])
            {
                case "--kernel": options.Kernel = Value(); break;
                case "--output": options.Output = Value(); break;
                case "--cell-timeout": options.CellTimeout = Seconds("--cell-timeout"); break;
                case "--startup-timeout": options.StartupTimeout = Seconds("--startup-timeout"); break;
                case "--show-output": options.ShowOutput = true; break;
                case "--env":
                    var assignment = Value();
                    var equals = assignment.IndexOf('=');
                    if (equals <= 0) throw new ArgumentException($"--env '{assignment}': give KEY=VALUE.");
                    options.Environment[assignment[..equals]] = assignment[(equals + 1)..];
                    break;
                case "-h" or "--help": throw new ArgumentException("");
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option {args[i]}.");
                    options.Notebooks.AddRange(Expand(args[i]));
                    break;
            }
        }
        if (options.Notebooks.Count == 0) throw new ArgumentException("Give at least one notebook (.ipynb) or folder of notebooks.");
        return options;
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
        {
            var notebooks = Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            return notebooks.Count > 0 ? notebooks : throw new ArgumentException($"{path} holds no .ipynb notebook.");
        }
        return File.Exists(path) ? [path] : throw new ArgumentException($"{path}: no such notebook or folder.");
    }

    /// <summary>The kernel to start: --kernel, else the repository's private copy.</summary>
    public string ResolveKernel()
    {
        if (Kernel is not null)
            return File.Exists(Kernel) ? Path.GetFullPath(Kernel) : throw new FileNotFoundException($"Kernel {Kernel} not found.");
        var root = RepositoryRoot() ?? throw new FileNotFoundException(
            "No kernel: give --kernel PATH, or run inside the repository after .devcontainer/setup-kernel.sh.");
        var kernel = Path.Combine(root, ".tools", "dotnet-interactive", "dotnet-interactive");
        return File.Exists(kernel) ? kernel : throw new FileNotFoundException(
            $"The pinned kernel is not installed ({kernel} is missing): run bash .devcontainer/setup-kernel.sh.");
    }

    public string ResolveOutput() =>
        Path.GetFullPath(Output ?? Path.Combine(RepositoryRoot() ?? System.Environment.CurrentDirectory, "artifacts", "notebooks"));

    /// <summary>The folder holding ImageRestoration.sln above the working directory or this program.</summary>
    public static string? RepositoryRoot()
    {
        foreach (var start in new[] { System.Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "ImageRestoration.sln")))
                    return directory.FullName;
        return null;
    }
}
