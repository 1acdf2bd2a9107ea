using System.Runtime.InteropServices;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// Headless notebook execution for CI: runs every notebook given in the
/// pinned kernel, prints one line per cell and the error of a failing cell,
/// writes executed copies, and ends every kernel it started on every way out
/// (success, failure, timeout, exception, Ctrl+C, SIGTERM, SIGHUP).
/// Exit code: 0 all cells ran, 1 a cell failed (or, for --check and --export,
/// a notebook failed its check), 2 usage error or an output folder that cannot
/// be written, 130 interrupted.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var (options, kernel, exitCode) = Prepare(args);
        if (options is null) return exitCode;
        if (options.Check) return CheckCommitted(options);
        if (options.Export) return Export(options);
        if (options.VerifyPages) return VerifyPages(options);
        if (options.WriteApps || options.CheckApps) return Apps(options);
        return await RunAllAsync(options, kernel);
    }

    /// <summary>
    /// The options, the kernel to start (none for the modes that run
    /// nothing) and the -p values checked against every notebook before any
    /// kernel starts; or no options and the exit code: 0 for --help, 2 for a
    /// usage error (said with the usage).
    /// </summary>
    private static (RunnerOptions? Options, string Kernel, int ExitCode) Prepare(string[] args)
    {
        try
        {
            var options = RunnerOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(RunnerOptions.Usage);
                return (null, "", 0);
            }
            var kernel = options.RunsNoKernel ? "" : options.ResolveKernel();
            if (options.Parameters.Count > 0)
                foreach (var notebook in options.Notebooks) // every notebook takes the values, before any kernel starts
                    ParameterCell.Inject(Read(notebook) ?? throw new ArgumentException($"{notebook} is not a notebook (JSON with cells)."), options.Parameters, notebook);
            return (options, kernel, 0);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            if (e.Message.Length > 0) Console.Error.WriteLine("notebook-runner: " + e.Message);
            Console.Error.WriteLine(RunnerOptions.Usage);
            return (null, "", 2);
        }
    }

    /// <summary>Runs the notebooks one after the other, each in its own kernel; an interrupt ends the kernels first, then the run.</summary>
    private static async Task<int> RunAllAsync(RunnerOptions options, string kernel)
    {
        using var interrupted = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true; // end the kernels first, then exit through the normal path
            interrupted.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KernelProcess.KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KernelProcess.KillAll();

        var output = options.ResolveOutput();
        Console.WriteLine($"notebook-runner: kernel {kernel}; executed copies in {output}");
        var execution = new NotebookExecution(options, Console.Out);
        var results = new List<NotebookResult>();
        try
        {
            foreach (var notebook in options.Notebooks)
            {
                if (interrupted.IsCancellationRequested) break;
                results.Add(await execution.RunAsync(notebook, kernel, output, interrupted.Token));
            }
        }
        finally
        {
            KernelProcess.KillAll();
        }
        return Summary(options, results, interrupted.IsCancellationRequested);
    }

    /// <summary>The closing line (how many ran, which failed and where) and the exit code: 130 interrupted, 1 a failure, else 0.</summary>
    private static int Summary(RunnerOptions options, IReadOnlyList<NotebookResult> results, bool interrupted)
    {
        var ok = results.Count(r => r.Succeeded);
        var failed = options.Notebooks.Count - ok;
        var failures = results.Where(r => !r.Succeeded).Select(r => Path.GetFileName(r.Notebook) + (r.FailedCell > 0 ? $" (cell {r.FailedCell})" : ""));
        Console.WriteLine($"notebooks: {ok} ok, {failed} failed" + (failed > 0 ? " - " + string.Join(", ", failures) : "") +
                          (interrupted ? " - interrupted" : ""));
        return interrupted ? 130 : failed > 0 ? 1 : 0;
    }

    /// <summary>--check: one line per notebook, its problems under it, and a closing count.</summary>
    private static int CheckCommitted(RunnerOptions options)
    {
        var failed = 0;
        foreach (var notebook in options.Notebooks)
        {
            var (document, shape) = NotebookShape.Read(notebook);
            var problems = document is not null ? CommittedOutputs.Problems(document) : [shape!];
            Console.WriteLine($"{(problems.Count == 0 ? "ok  " : "FAIL")} {notebook}");
            foreach (var problem in problems) Console.WriteLine("       " + problem);
            if (problems.Count > 0) failed++;
        }
        Console.WriteLine($"committed outputs: {options.Notebooks.Count - failed} ok, {failed} failed");
        return failed > 0 ? 1 : 0;
    }

    /// <summary>--export: the HTML page of each notebook as it is, in the output folder.</summary>
    private static int Export(RunnerOptions options)
    {
        var output = options.ResolveOutput();
        try
        {
            Directory.CreateDirectory(output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"notebook-runner: --output {output} cannot be made a folder: {e.Message}");
            return 2;
        }
        var failed = 0;
        foreach (var notebook in options.Notebooks)
        {
            var (document, problem) = NotebookShape.Read(notebook);
            try
            {
                if (document is null) throw new InvalidDataException(problem);
                Console.WriteLine($"ok   {notebook} -> {NotebookPage.Write(document, Path.Combine(output, Path.GetFileName(notebook)))}");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"FAIL {notebook}: {e.Message}");
                failed++;
            }
        }
        return failed > 0 ? 1 : 0;
    }

    /// <summary>--verify-pages: each page's pictures as Chromium shows them offline, one line per page and one per blank picture.</summary>
    private static int VerifyPages(RunnerOptions options)
    {
        if (PageCheck.FindChromium() is not { } chromium)
        {
            Console.Error.WriteLine("notebook-runner: --verify-pages needs Chromium (Debian's chromium package; .devcontainer/install-prerequisites.sh installs it) or CHROMIUM=PATH.");
            return 2;
        }
        var failed = 0;
        foreach (var page in options.Notebooks)
        {
            var result = PageCheck.Run(page, chromium);
            var nonBlank = result.Figures.Count(f => f.NonBlank);
            var ok = nonBlank == result.Figures.Count && result.ExternalRequests.Count == 0;
            Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {page}: {result.Figures.Count} figures, {nonBlank} non-blank" +
                              (result.ExternalRequests.Count > 0 ? $", {result.ExternalRequests.Count} requests outside the file" : ""));
            foreach (var figure in result.Figures.Where(f => !f.NonBlank))
                Console.WriteLine($"       figure {figure.Index + 1} ({figure.Alt}): {figure.Width:F0}x{figure.Height:F0} shown, " +
                                  $"{figure.NaturalWidth}x{figure.NaturalHeight} decoded, spread {figure.Spread:F1}{(figure.Error is null ? "" : ", " + figure.Error)}");
            foreach (var request in result.ExternalRequests) Console.WriteLine("       asked for " + request);
            if (!ok) failed++;
        }
        Console.WriteLine($"pages: {options.Notebooks.Count - failed} ok, {failed} failed");
        return failed > 0 ? 1 : 0;
    }

    /// <summary>--write-apps / --check-apps: one line per notebook's app and a closing count.</summary>
    private static int Apps(RunnerOptions options)
    {
        var failed = 0;
        foreach (var notebook in options.Notebooks)
        {
            var app = NotebookApp.PathFor(notebook);
            var shown = Path.GetRelativePath(Environment.CurrentDirectory, app);
            string? problem;
            try
            {
                var text = NotebookApp.Generate(Read(notebook) ?? throw new InvalidDataException($"{notebook} is not a notebook (JSON with cells)"), notebook);
                if (options.WriteApps)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(app)!);
                    File.WriteAllText(app + ".tmp", text);
                    File.Move(app + ".tmp", app, overwrite: true);
                    problem = null;
                }
                else
                {
                    problem = !File.Exists(app) ? "is missing: write it with notebook-runner --write-apps"
                        : File.ReadAllText(app) != text ? $"is stale against {Path.GetFileName(notebook)}: write it again with notebook-runner --write-apps"
                        : null;
                }
            }
            catch (InvalidDataException e)
            {
                problem = e.Message;
            }
            Console.WriteLine(problem is null ? $"ok   {shown}" : $"FAIL {shown} {problem}");
            if (problem is not null) failed++;
        }
        Console.WriteLine($"apps: {options.Notebooks.Count - failed} ok, {failed} failed");
        return failed > 0 ? 1 : 0;
    }

    /// <summary>The notebook, or null when it does not have a notebook's shape (<see cref="NotebookShape"/>).</summary>
    private static System.Text.Json.Nodes.JsonObject? Read(string path) => NotebookShape.Read(path).Document;
}
