using System.Runtime.InteropServices;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// Headless notebook execution for CI: runs every notebook given in the
/// pinned kernel, prints one line per cell and the error of a failing cell,
/// writes executed copies, and ends every kernel it started on every way out
/// (success, failure, timeout, exception, Ctrl+C, SIGTERM, SIGHUP).
/// Exit code: 0 all cells ran, 1 a cell failed, 2 usage error, 130 interrupted.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        RunnerOptions options;
        string kernel;
        try
        {
            options = RunnerOptions.Parse(args);
            kernel = options.ResolveKernel();
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            if (e.Message.Length > 0) Console.Error.WriteLine("notebook-runner: " + e.Message);
            Console.Error.WriteLine(RunnerOptions.Usage);
            return 2;
        }

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

        var ok = results.Count(r => r.Succeeded);
        var failed = options.Notebooks.Count - ok;
        var failures = results.Where(r => !r.Succeeded).Select(r => Path.GetFileName(r.Notebook) + (r.FailedCell > 0 ? $" (cell {r.FailedCell})" : ""));
        Console.WriteLine($"notebooks: {ok} ok, {failed} failed" + (failed > 0 ? " - " + string.Join(", ", failures) : "") +
                          (interrupted.IsCancellationRequested ? " - interrupted" : ""));
        return interrupted.IsCancellationRequested ? 130 : failed > 0 ? 1 : 0;
    }
}
