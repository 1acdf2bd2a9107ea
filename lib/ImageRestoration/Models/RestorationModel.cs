using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// A model that maps degraded 1x28x28 pictures to restored ones in [0,1]:
/// the presentation's <see cref="Autoencoder"/> and the models compared with it.
/// </summary>
public abstract class RestorationModel(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>
    /// The registered layers in the order they were declared, by their own
    /// names (<c>conv1</c>, <c>pool1</c>, ...), for Keras-style summaries.
    /// </summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Layers =>
        named_modules().Where(m => !m.module.children().Any())
            .Select(m => (m.name[(m.name.LastIndexOf('.') + 1)..], (Module<Tensor, Tensor>)m.module));

    /// <summary>
    /// Keras's initial weights (<see cref="KerasInitialization"/>), then the
    /// channels-last layout training needs (<see cref="ChannelsLastWeights"/>).
    /// Every model calls this at the end of its constructor, after <c>RegisterComponents()</c>.
    /// </summary>
    protected void InitializeWeights()
    {
        KerasInitialization.Apply(this);
        ChannelsLastWeights.Apply(this);
    }

    /// <summary>
    /// Saves the weights atomically (a temporary file, then a rename), so an
    /// interrupted save never leaves half a model.
    /// </summary>
    public void Save(string path)
    {
        AtomicFile.Write(path, temporary => ChannelsLastWeights.WhileContiguous(parameters(), () => save(temporary)));
    }

    /// <summary>Loads weights written by <see cref="Save"/> into a fresh model of the named kind, ready to train or evaluate.</summary>
    public static RestorationModel Load(string path, string modelName = ModelCatalog.Presentation)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file {path} not found.", path);
        var model = ModelCatalog.Create(modelName);
        try
        {
            ChannelsLastWeights.WhileContiguous(model.parameters(), () => model.load(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException($"{path} is not a saved '{modelName}' model: {e.Message}", e);
        }
        return model;
    }
}

/// <summary>
/// Keras's defaults for parity with the presentation: Glorot-uniform kernels
/// and zero biases (PyTorch's default is Kaiming-uniform with random biases).
/// Draws from the global generator, so <c>torch.manual_seed</c> fixes it.
/// </summary>
internal static class KerasInitialization
{
    public static void Apply(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var module in model.modules())
        {
            if (module is not Conv2d conv) continue;
            nn.init.xavier_uniform_(conv.weight!);
            if (conv.bias is not null) nn.init.zeros_(conv.bias);
        }
    }
}
