using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImageRestoration.Configuration;
using ImageRestoration.Models;
using ImageRestoration.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Cli.Benchmarks;

/// <summary>
/// One row of a <see cref="LayerProfile"/>, in milliseconds per batch: the
/// forward pass alone (none for the optimizer and the whole step) and the
/// forward and backward passes together.
/// </summary>
public sealed record LayerTiming(string Part, string Input, double? ForwardMs, double TotalMs);

/// <summary>
/// Where a training step's time goes. Each layer of the presentation's model runs alone
/// on the very input it gets in a forward pass of one batch of training
/// images: forward, then forward and backward (gradients for its weights and,
/// past the first layer, for its input, as in training). The loss, the
/// optimizer and the whole <see cref="Trainer.Step"/> get rows of their own.
/// Alone, a part meets other caches and thread wake-ups than within the step,
/// so the parts need not add up to it. Medians of repeated runs.
/// </summary>
public static class LayerProfile
{
    private const int Repetitions = 40;

    /// <summary>The presentation model's layers in order, then the loss, the optimizer and the whole step, on <paramref name="batch"/>.</summary>
    public static IReadOnlyList<LayerTiming> Measure(Tensor batch)
    {
        var configuration = new ExperimentConfiguration { Verbosity = 0 };
        using var model = Experiment.CreateModel(configuration);
        using var trainer = new Trainer(model, configuration);
        // Untimed steps first: oneDNN picks and caches its kernels, and the thread pool wakes up at this thread count.
        for (var step = 0; step < 10; step++)
            using (NewDisposeScope()) trainer.Step(batch, batch);
        var seen = LayerInputsAndOutputs(model, batch);
        var rows = LayerRows(model, seen);
        using (var output = model.forward(batch).detach())
            rows.Add(Time("loss (binary cross-entropy)", output, p => nn.functional.binary_cross_entropy(p, batch), inputGradient: true, inPlace: false));
        using var optimizer = optim.Adam(model.parameters(), lr: configuration.LearningRate, eps: configuration.AdamEpsilon);
        rows.Add(new LayerTiming("optimizer (Adam step, zero_grad)", "", null, MedianMs(() =>
        {
            // Fresh gradients before each step, as in training; only the step and the zeroing are timed.
            using (NewDisposeScope()) nn.functional.binary_cross_entropy(model.forward(batch), batch).backward();
            return Stopwatch.StartNew();
        }, () =>
        {
            optimizer.step();
            optimizer.zero_grad();
        })));
        rows.Add(new LayerTiming("whole training step", Shape(batch), null, MedianMs(() =>
        {
            using var scope = NewDisposeScope();
            trainer.Step(batch, batch);
        })));
        foreach (var (input, output) in seen.Values)
        {
            input.Dispose();
            output.Dispose();
        }
        return rows;
    }

    /// <summary>A row per layer, in order, each timed on the input <paramref name="seen"/> gives it.</summary>
    private static List<LayerTiming> LayerRows(RestorationModel model, Dictionary<string, (Tensor Input, Tensor Output)> seen)
    {
        var layers = model.Layers.ToList();
        var rows = new List<LayerTiming>();
        for (var i = 0; i < layers.Count; i++)
        {
            var (name, layer) = layers[i];
            if (seen.TryGetValue(name, out var io))
            {
                rows.Add(Time(name, io.Input, layer.call, inputGradient: i > 0, inPlace: layer is ReLU));
                continue;
            }
            // The decoder runs its last upsampling and convolution as one sub-pixel step, on the output of the layer before.
            if (layer is not Upsample up || i + 1 >= layers.Count || layers[i + 1].Layer is not Conv2d conv)
                throw new InvalidOperationException($"The forward pass does not call {name}, nor run it as a sub-pixel step with the next convolution.");
            rows.Add(Time($"{name}+{layers[i + 1].Name} (sub-pixel)", seen[layers[i - 1].Name].Output,
                x => SubPixelConvolution.UpsampleThenConvolve(x, up, conv), inputGradient: true, inPlace: false));
            i++;
        }
        return rows;
    }

    /// <summary>What each layer receives and returns in one forward pass, by name (a layer the forward does not call itself is missing).</summary>
    private static Dictionary<string, (Tensor Input, Tensor Output)> LayerInputsAndOutputs(RestorationModel model, Tensor batch)
    {
        var seen = new Dictionary<string, (Tensor, Tensor)>();
        var hooks = model.Layers.Select(l => l.Layer.register_forward_hook((_, input, output) =>
        {
            // In-place layers return their input: copy both before the next layer changes them.
            seen.TryAdd(l.Name, (input.detach().clone().DetachFromDisposeScope(), output.detach().clone().DetachFromDisposeScope()));
            return output;
        })).ToList();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            model.forward(batch);
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return seen;
    }

    /// <summary>
    /// A part's forward, and forward plus backward, on a fresh copy of its
    /// input each time. An in-place layer needs that copy to be a computed
    /// tensor, so its time is less the time of the copy alone.
    /// </summary>
    private static LayerTiming Time(string part, Tensor input, Func<Tensor, Tensor> forward, bool inputGradient, bool inPlace)
    {
        Func<Tensor> fresh = inPlace ? () => input.detach().requires_grad_(inputGradient).clone() : () => input.detach().requires_grad_(inputGradient);
        Tensor? upstream = null; // the gradient arriving from the layers above, made once: in training it comes for free
        double Run(Func<Tensor, Tensor> f, bool backward) => MedianMs(() =>
        {
            using var scope = NewDisposeScope();
            var y = f(fresh());
            if (backward) y.backward([upstream ??= ones_like(y).DetachFromDisposeScope()]);
        });
        var (forwardMs, totalMs) = (Run(forward, false), Run(forward, true));
        if (inPlace) (forwardMs, totalMs) = (Math.Max(0, forwardMs - Run(x => x, false)), Math.Max(0, totalMs - Run(x => x, true)));
        upstream?.Dispose();
        return new LayerTiming(part, Shape(input), forwardMs, totalMs);
    }

    private static double MedianMs(Action action) => MedianMs(() =>
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock;
    }, () => { });

    /// <summary>Median over <see cref="Repetitions"/> runs (after 5 untimed) of the time from <paramref name="prepare"/>'s clock to the end of <paramref name="timed"/>.</summary>
    private static double MedianMs(Func<Stopwatch> prepare, Action timed)
    {
        var times = new List<double>();
        for (var run = 0; run < Repetitions + 5; run++)
        {
            var clock = prepare();
            timed();
            if (run >= 5) times.Add(clock.Elapsed.TotalMilliseconds);
            TorchRuntime.ReleaseUndisposedScalars();
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    private static string Shape(Tensor tensor) => string.Join("x", tensor.shape.Skip(1));

    /// <summary>The profile as a Markdown table, with the parts' sum and the rest of the whole step.</summary>
    public static string ToMarkdown(int threads, int images, IReadOnlyList<LayerTiming> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var step = rows[^1].TotalMs;
        string Share(double ms) => (100 * ms / step).ToString("F0", c) + "%";
        var parts = rows.Take(rows.Count - 1).ToList();
        var text = new StringBuilder()
            .AppendLine(string.Create(c, $"{threads} thread(s), steps of {images} training images, milliseconds per step (median of {Repetitions}):"))
            .AppendLine()
            .AppendLine("| part | input (C x H x W) | forward | forward + backward | share of the step |")
            .AppendLine("|---|---|---:|---:|---:|");
        foreach (var row in parts)
            text.AppendLine(string.Create(c,
                $"| {row.Part} | {row.Input} | {(row.ForwardMs is { } f ? f.ToString("F3", c) : "")} | {row.TotalMs:F3} | {Share(row.TotalMs)} |"));
        var sum = parts.Sum(r => r.TotalMs);
        return text
            .AppendLine(string.Create(c, $"| the parts above, each alone | | | {sum:F3} | {Share(sum)} |"))
            .AppendLine(string.Create(c, $"| the whole step less the parts | | | {step - sum:F3} | {Share(step - sum)} |"))
            .AppendLine(string.Create(c, $"| whole training step | {rows[^1].Input} | | {step:F3} | 100% |"))
            .ToString();
    }
}
