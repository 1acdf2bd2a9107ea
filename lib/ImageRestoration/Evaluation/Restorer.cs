using ImageRestoration.Models;
using static TorchSharp.torch;

namespace ImageRestoration.Evaluation;

/// <summary>What a row of a results table stands for.</summary>
public enum RestorerKind
{
    /// <summary>The degraded pictures themselves, unrestored: the floor every method must beat.</summary>
    Input,

    /// <summary>A classical filter, no training.</summary>
    Baseline,

    /// <summary>A trained network.</summary>
    Model,
}

/// <summary>
/// Anything that turns degraded pictures back into clean ones: a classical
/// baseline or a trained model, scored alike by <see cref="Evaluator"/>.
/// </summary>
public abstract class Restorer
{
    /// <summary>A short name for tables and charts, such as <c>median 3x3</c>.</summary>
    public abstract string Name { get; }

    public abstract RestorerKind Kind { get; }

    /// <summary>Restores a batch (N x 1 x H x W in [0,1]); the result has the same shape and stays in [0,1]. Never needs gradients.</summary>
    public abstract Tensor Restore(Tensor degraded);

    public override string ToString() => Name;

    /// <summary>The "degraded input" row of a table: the degraded pictures as they are, scored like any restorer.</summary>
    public static Restorer None { get; } = new NoRestoration();
}

/// <summary>The "noisy input" row: returns the degraded pictures as they are.</summary>
internal sealed class NoRestoration : Restorer
{
    public override string Name => "degraded input";
    public override RestorerKind Kind => RestorerKind.Input;
    public override Tensor Restore(Tensor degraded) => degraded.clone();
}

/// <summary>A trained model as a restorer: evaluation mode, no gradients. The model stays the caller's to dispose.</summary>
public sealed class ModelRestorer(string name, nn.Module<Tensor, Tensor> model) : Restorer
{
    public override string Name { get; } = name;
    public override RestorerKind Kind => RestorerKind.Model;
    public nn.Module<Tensor, Tensor> Model { get; } = model;

    public override Tensor Restore(Tensor degraded)
    {
        Model.eval();
        using var _ = no_grad();
        return Model.forward(degraded);
    }

    /// <summary>Names a model after its catalog name, as in "presentation" or "unet".</summary>
    public static ModelRestorer For(RestorationModel model, string name) => new(name, model);
}
