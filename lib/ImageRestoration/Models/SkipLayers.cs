using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// The two ends of a skip connection, written as layers so a model with skips
/// still runs as one sequence of layers (and so <see cref="ModelSummary"/>
/// lists them with their shapes): <see cref="SkipStart"/> passes its input
/// on unchanged and remembers it; the matching <see cref="Concatenate"/>
/// appends it to its own input along the channels. One forward pass at a time.
/// Run such layers with <see cref="RunInOrder"/>, not a <c>Sequential</c>,
/// which disposes every intermediate result, the remembered one included.
/// </summary>
public sealed class SkipConnection
{
    internal Tensor? Saved { get; set; }

    public SkipStart Start(string name) => new(name, this);

    public Concatenate End(string name) => new(name, this);

    /// <summary>
    /// Runs layers one after the other, disposing each intermediate result
    /// once the next layer has used it (as <c>Sequential</c> does), except the
    /// input, which stays the caller's. The graph for backward keeps what it needs.
    /// </summary>
    public static Tensor RunInOrder(IEnumerable<Module<Tensor, Tensor>> layers, Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
        {
            var y = layer.forward(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return x;
    }
}

/// <summary>Where a skip connection leaves: the identity, remembering its input.</summary>
public sealed class SkipStart : Module<Tensor, Tensor>
{
    private readonly SkipConnection connection;

    internal SkipStart(string name, SkipConnection connection) : base(name) => this.connection = connection;

    public override Tensor forward(Tensor input)
    {
        // Its own handle: whoever runs the layers may dispose the input's once the next layer is done.
        connection.Saved?.Dispose();
        connection.Saved = input.alias();
        return input;
    }
}

/// <summary>Where a skip connection arrives: its input, then the remembered tensor, along the channels (Keras's Concatenate).</summary>
public sealed class Concatenate : Module<Tensor, Tensor>
{
    private readonly SkipConnection connection;

    internal Concatenate(string name, SkipConnection connection) : base(name) => this.connection = connection;

    public override Tensor forward(Tensor input)
    {
        var saved = connection.Saved ?? throw new InvalidOperationException($"{GetName()}: its skip connection's start has not run in this pass.");
        connection.Saved = null;
        using (saved)
            return cat([input, saved], 1);
    }
}
