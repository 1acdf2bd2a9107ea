using Plotly.NET;

namespace ImageRestoration.Charts;

/// <summary>
/// Builds Plotly.NET charts from plain plotly.js attributes (Plotly.NET's
/// dynamic objects), which keeps every attribute of a figure visible in one
/// place: the traces, the layout and each subplot's axes.
/// </summary>
internal static class PlotlyObjects
{
    /// <summary>A plotly.js object with the given attributes; null values are left out.</summary>
    public static DynamicObj.DynamicObj Object(params (string Name, object? Value)[] attributes)
    {
        var result = new DynamicObj.DynamicObj();
        foreach (var (name, value) in attributes)
            if (value is not null) result.SetProperty(name, value);
        return result;
    }

    public static Trace2D Trace(string type, params (string Name, object? Value)[] attributes)
    {
        var trace = new Trace2D(type);
        foreach (var (name, value) in attributes)
            if (value is not null) trace.SetProperty(name, value);
        return trace;
    }

    public static Layout Layout(params (string Name, object? Value)[] attributes)
    {
        var layout = new Layout();
        foreach (var (name, value) in attributes)
            if (value is not null) layout.SetProperty(name, value);
        return layout;
    }

    /// <summary>A chart of the traces with the layout; Plotly.NET's default template styles the rest.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout) =>
        GenericChart.setLayout(layout, GenericChart.ofTraceObjects(true, traces.ToList()));

    public static DynamicObj.DynamicObj Title(string? text) => Object(("text", text));
}
