using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace ImageRestoration.Models;

/// <summary>One row of a Keras-style summary; a list of these displays as a table in a notebook.</summary>
public sealed record LayerSummary(string Layer, string Type, string OutputShape, long Parameters);

/// <summary>Keras's <c>model.summary()</c>: each layer's output shape and parameter count, found by running one blank image through.</summary>
public sealed class ModelSummary
{
    private ModelSummary(IReadOnlyList<LayerSummary> layers) => Layers = layers;

    public IReadOnlyList<LayerSummary> Layers { get; }

    public long TotalParameters => Layers.Sum(l => l.Parameters);

    public static ModelSummary Of(RestorationModel model, int height = 28, int width = 28)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var rows = new List<LayerSummary>();
        var x = zeros(1, 1, height, width);
        foreach (var (name, layer) in model.Layers)
        {
            x = layer.forward(x);
            rows.Add(new LayerSummary(name, layer.GetType().Name, "(None, " + string.Join(", ", x.shape.Skip(1)) + ")",
                layer.parameters().Sum(p => p.numel())));
        }
        return new ModelSummary(rows);
    }

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
