using System.Reflection;

namespace ImageRestoration.Notebooks;

/// <summary>
/// The few calls this library makes into a running .NET Interactive kernel,
/// found by name in the loaded assemblies: the packages are deprecated, so
/// nothing here references them, and outside a kernel (a console, a test)
/// every call reports that there is none.
/// </summary>
internal static class InteractiveKernel
{
    private const string KernelType = "Microsoft.DotNet.Interactive.Kernel";
    private const string ContextType = "Microsoft.DotNet.Interactive.KernelInvocationContext";
    private const string FormatterType = "Microsoft.DotNet.Interactive.Formatting.Formatter";
    private const string ContextExtensionsType = "Microsoft.DotNet.Interactive.KernelInvocationContextExtensions";

    /// <summary>True while a kernel is running a cell in this process.</summary>
    public static bool IsRunningACell => CurrentContext() is not null;

    private static object? CurrentContext() => Find(ContextType)?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);

    /// <summary>
    /// Registers <paramref name="format"/> as the kernel's formatter of
    /// <paramref name="type"/> for <paramref name="mimeType"/>
    /// (<c>Formatter.Register(Type, Action&lt;object, TextWriter&gt;, string)</c>).
    /// False when no kernel is loaded.
    /// </summary>
    public static bool Register(Type type, Action<object, TextWriter> format, string mimeType)
    {
        var register = Find(FormatterType)?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static,
            [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        if (register is null) return false;
        register.Invoke(null, [type, format, mimeType]);
        return true;
    }

    /// <summary>
    /// Shows HTML as a new output of the running cell; returns the displayed
    /// value to update, or null outside a kernel. <c>context.DisplayAs(html,
    /// "text/html")</c> rather than <c>Kernel.display</c>: in kernel 1.0.712001
    /// the value that <c>display</c> returns sends its updates under another id
    /// than the output it made, so each update became a second output.
    /// </summary>
    public static object? Display(string html)
    {
        if (CurrentContext() is not { } context || Find(ContextExtensionsType) is not { } extensions) return null;
        var displayAs = extensions.GetMethod("DisplayAs", BindingFlags.Public | BindingFlags.Static, [context.GetType(), typeof(string), typeof(string)]);
        return displayAs?.Invoke(null, [context, html, "text/html"]);
    }

    /// <summary>Replaces what a displayed value shows (<c>DisplayedValue.Update</c>).</summary>
    public static void Update(object displayed, string html)
    {
        if (Find(KernelType) is not { } kernel) return;
        displayed.GetType().GetMethod("Update", [typeof(object)])?.Invoke(displayed, [Html(kernel, html)]);
    }

    /// <summary>HTML that the kernel shows as it is (<c>Kernel.HTML</c>, an IHtmlContent).</summary>
    private static object Html(Type kernel, string html) =>
        kernel.GetMethod("HTML", BindingFlags.Public | BindingFlags.Static, [typeof(string)])?.Invoke(null, [html]) ?? html;

    private static Type? Find(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);
}
