using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace ImageRestoration.Models;

/// <summary>One row of a Keras-style summary; a list of these displays as a table in a notebook.</summary>
public sealed record LayerSummary(string Layer, string Type, string OutputShape, long Parameters);

/// <summary>
/// Keras's <c>model.summary()</c>: each registered layer's output shape and
/// parameter count, found by running one blank image through the model's own
/// forward and watching each layer. A layer whose input is not what the row
/// before gave receives a join of two paths (the U-Net's skip connections):
/// a <c>cat</c> row shows the joined shape, as Keras's Concatenate layer
/// would, or the same values rearranged (the half-resolution photo model's
/// pixel unshuffle), a <c>reshape</c> row. Rows follow the order the
/// forward calls the layers. A layer the forward does not call on its own (the last upsampling
/// and convolution of the autoencoder run as one sub-pixel step) is run on
/// the row before's output.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(IReadOnlyList<LayerSummary> layers) => Layers = layers;

    public IReadOnlyList<LayerSummary> Layers { get; }

    public long TotalParameters => Layers.Sum(l => l.Parameters);

    public static ModelSummary Of(RestorationModel model, int height = 28, int width = 28)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var seen = new Dictionary<nn.Module, (int Call, long[] Input, long[] Output)>();
        var registered = model.Layers.ToList();
        var hooks = registered.Select(l => l.Layer.register_forward_hook((layer, input, output) =>
        {
            seen.TryAdd(layer, (seen.Count, input.shape, output.shape));
            return output;
        })).ToList();
        try
        {
            model.forward(zeros(1, 1, height, width));
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return new ModelSummary(Rows(InCallOrder(registered, seen), seen, [1, 1, height, width]));
    }

    /// <summary>
    /// The layers in the order the forward called them (registration order
    /// need not be that); a layer it did not call stays right after the one
    /// registered before it.
    /// </summary>
    private static List<(string Name, nn.Module<Tensor, Tensor> Layer)> InCallOrder(List<(string Name, nn.Module<Tensor, Tensor> Layer)> registered,
        Dictionary<nn.Module, (int Call, long[] Input, long[] Output)> seen)
    {
        var keys = new double[registered.Count];
        for (var i = 0; i < registered.Count; i++)
            keys[i] = seen.TryGetValue(registered[i].Layer, out var s) ? s.Call : (i == 0 ? -1 : keys[i - 1]) + 1e-3;
        return [.. registered.Select((layer, i) => (layer, i)).OrderBy(p => keys[p.i]).Select(p => p.layer)];
    }

    private static List<LayerSummary> Rows(List<(string Name, nn.Module<Tensor, Tensor> Layer)> layers,
        Dictionary<nn.Module, (int Call, long[] Input, long[] Output)> seen, long[] shape)
    {
        var rows = new List<LayerSummary>();
        var (joins, reshapes) = (0, 0);
        foreach (var (name, layer) in layers)
        {
            if (seen.TryGetValue(layer, out var shapes))
            {
                // Same values rearranged (a pixel unshuffle) or two paths joined (a skip connection's cat).
                if (!shapes.Input.SequenceEqual(shape))
                    rows.Add(shapes.Input.Aggregate(1L, (a, b) => a * b) == shape.Aggregate(1L, (a, b) => a * b)
                        ? new LayerSummary($"unshuffle{++reshapes}", "reshape", Format(shapes.Input), 0)
                        : new LayerSummary($"cat{++joins}", "cat", Format(shapes.Input), 0));
                shape = shapes.Output;
            }
            else
                shape = layer.forward(zeros(shape)).shape;
            rows.Add(new LayerSummary(name, layer.GetType().Name, Format(shape), layer.parameters().Sum(p => p.numel())));
        }
        return rows;
    }

    private static string Format(long[] shape) => "(None, " + string.Join(", ", shape.Skip(1)) + ")";

    public override string ToString()
    {
        var text = new StringBuilder();
        var line = new string('_', 62);
        text.AppendLine(line).AppendLine($"{"Layer (type)",-26}{"Output Shape",-24}{"Param #",12}").AppendLine(new string('=', 62));
        foreach (var l in Layers)
            text.AppendLine($"{$"{l.Layer} ({l.Type})",-26}{l.OutputShape,-24}{l.Parameters.ToString("N0", CultureInfo.InvariantCulture),12}");
        text.AppendLine(new string('=', 62)).AppendLine($"Total params: {TotalParameters.ToString("N0", CultureInfo.InvariantCulture)}").Append(line);
        return text.ToString();
    }
}
