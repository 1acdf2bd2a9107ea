using System.Globalization;

namespace ImageRestoration.NotebookRunner;

/// <summary>The runner's command line.</summary>
public sealed class RunnerOptions
{
    public const string Usage =
        """
        usage: notebook-runner [options] NOTEBOOK.ipynb|FOLDER...
          Runs each notebook cell by cell in a fresh .NET Interactive kernel started
          in the notebook's folder, writes the executed copy (with its outputs, the
          run's profile, date and command, and each cell's source hash) and its HTML
          page (NAME.html, self-contained) to the output folder, and exits non-zero
          if any cell failed.
        modes:
          --write-back            also replace each notebook with its executed copy, when every cell ran
          --check                 run nothing: check the notebooks' committed outputs (recorded source hashes
                                  match, no external URL, outputs at most 2 MB); exits 1 on any problem
          --export                run nothing: write the HTML page of each notebook as it is, to the output folder
          --write-apps            run nothing: write each notebook as a .NET file-based app, apps/NAME.cs next to it
                                  (run it with dotnet run; its figures go to apps/NAME/ as PNG files)
          --check-apps            run nothing: exits 1 when an app is missing or differs from what its notebook gives
          --verify-pages          run nothing: open each HTML page (PAGE.html or a folder of them) in headless
                                  Chromium with the network off; exits 1 when a picture is blank or a page
                                  asks for anything outside its file
        options:
          --kernel PATH           dotnet-interactive to start (default: .tools/dotnet-interactive/dotnet-interactive
                                  in this repository, set up by .devcontainer/setup-kernel.sh)
          --output DIR            where executed copies go (default: artifacts/notebooks in this repository)
          --cell-timeout SECONDS  longest a cell may run (default 7200)
          --startup-timeout SECONDS  longest the kernel may take to start (default 180)
          --env KEY=VALUE         an environment variable for the kernel (repeatable),
                                  e.g. --env IMAGE_RESTORATION_PROFILE=quick
          --show-output           echo each cell's standard output under its line
          -p NAME VALUE           a parameter (repeatable), as papermill's -p: a cell setting it (var NAME = VALUE;)
                                  is run after the notebook's cell tagged parameters; VALUE is read as papermill
                                  reads it (True/False, a whole number, a number, else a string). Not with --write-back.
        """;

    public List<string> Notebooks { get; } = [];
    public string? Kernel { get; set; }
    public string? Output { get; set; }
    public TimeSpan CellTimeout { get; set; } = TimeSpan.FromHours(2);
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(3);
    public Dictionary<string, string> Environment { get; } = [];
    public bool ShowOutput { get; set; }
    public bool WriteBack { get; set; }
    public bool Check { get; set; }
    public bool Export { get; set; }
    public bool VerifyPages { get; set; }
    public bool WriteApps { get; set; }
    public bool CheckApps { get; set; }

    /// <summary>The -p parameters in the order given (a name given twice keeps its last value).</summary>
    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>Whether this run starts no kernel.</summary>
    public bool RunsNoKernel => Check || Export || VerifyPages || WriteApps || CheckApps;

    /// <summary>--help: print the usage to standard output and stop.</summary>
    public bool Help { get; private set; }

    /// <summary>The command as it was given, recorded in executed copies (the data folder's value left out: it is the machine's).</summary>
    public string CommandLine { get; private set; } = "notebook-runner";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions();
        var paths = new List<string>();
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
                case "--write-back": options.WriteBack = true; break;
                case "--check": options.Check = true; break;
                case "--export": options.Export = true; break;
                case "--verify-pages": options.VerifyPages = true; break;
                case "--write-apps": options.WriteApps = true; break;
                case "--check-apps": options.CheckApps = true; break;
                case "-p" or "--parameter": options.AddParameter(Value(), Value); break;
                case "--env": options.AddEnvironment(Value()); break;
                case "-h" or "--help": return new RunnerOptions { Help = true };
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option {args[i]}.");
                    paths.Add(args[i]);
                    break;
            }
        }
        options.Finish(paths);
        options.CommandLine = string.Join(" ", ["notebook-runner", .. args.Select(Shown)]);
        return options;
    }

    /// <summary>-p NAME VALUE: the value is read (by <paramref name="value"/>) only once the name is known to be good.</summary>
    private void AddParameter(string name, Func<string> value)
    {
        if (!ParameterCell.IsName(name)) throw new ArgumentException($"-p '{name}': give a C# variable name, then its value.");
        var text = value();
        ParameterCell.Literal(text); // None is refused here, before any notebook is read
        Parameters.RemoveAll(p => p.Key == name);
        Parameters.Add(new(name, text));
    }

    /// <summary>--env KEY=VALUE.</summary>
    private void AddEnvironment(string assignment)
    {
        var equals = assignment.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"--env '{assignment}': give KEY=VALUE.");
        Environment[assignment[..equals]] = assignment[(equals + 1)..];
    }

    /// <summary>The notebooks (or pages) of the paths given, and the checks that need every option read.</summary>
    private void Finish(IEnumerable<string> paths)
    {
        // A folder's files are picked once every option is read: --verify-pages may come after the folder.
        foreach (var path in paths) Notebooks.AddRange(Expand(path, VerifyPages ? "*.html" : "*.ipynb"));
        if (Notebooks.Count == 0) throw new ArgumentException("Give at least one notebook (.ipynb) or folder of notebooks.");
        if (new[] { Check, Export, WriteBack, VerifyPages, WriteApps, CheckApps }.Count(m => m) > 1)
            throw new ArgumentException("Give at most one of --check, --export, --verify-pages, --write-apps, --check-apps and --write-back.");
        if (Parameters.Count > 0 && (WriteBack || RunsNoKernel))
            throw new ArgumentException("-p runs a notebook with other values: its executed copy goes to the output folder, so it cannot be given with --write-back or a mode that runs nothing.");
    }

    /// <summary>The profile the kernels run in: --env IMAGE_RESTORATION_PROFILE, else the runner's own environment, else the notebooks' default.</summary>
    public string Profile =>
        Environment.GetValueOrDefault("IMAGE_RESTORATION_PROFILE") ?? System.Environment.GetEnvironmentVariable("IMAGE_RESTORATION_PROFILE") ?? "default";

    private static string Shown(string argument)
    {
        var equals = argument.IndexOf('=');
        if (equals > 0 && argument[..equals] == "IMAGE_RESTORATION_DATA") argument = "IMAGE_RESTORATION_DATA=$IMAGE_RESTORATION_DATA";
        return argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_=./$:,".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''")}'";
    }

    private static IEnumerable<string> Expand(string path, string pattern)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, pattern).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            return files.Count > 0 ? files : throw new ArgumentException($"{path} holds no {pattern[1..]} file.");
        }
        return File.Exists(path) ? [path] : throw new ArgumentException($"{path}: no such notebook or folder.");
    }

    /// <summary>The kernel to start: --kernel, else the repository's private copy.</summary>
    public string ResolveKernel()
    {
        if (Kernel is not null)
            return File.Exists(Kernel) ? Path.GetFullPath(Kernel) : throw new FileNotFoundException($"Kernel {Kernel} not found.");
        var root = RepositoryRoot.Find() ?? throw new FileNotFoundException(
            "No kernel: give --kernel PATH, or run inside the repository after .devcontainer/setup-kernel.sh.");
        var kernel = Path.Combine(root, ".tools", "dotnet-interactive", "dotnet-interactive");
        return File.Exists(kernel) ? kernel : throw new FileNotFoundException(
            $"The pinned kernel is not installed ({kernel} is missing): run bash .devcontainer/setup-kernel.sh.");
    }

    public string ResolveOutput() =>
        Path.GetFullPath(Output ?? Path.Combine(RepositoryRoot.Find() ?? System.Environment.CurrentDirectory, "artifacts", "notebooks"));
}
