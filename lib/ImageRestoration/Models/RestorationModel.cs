using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ImageRestoration.Models;

/// <summary>
/// A model that maps degraded 1x28x28 pictures to restored ones in [0,1]:
/// the seed <see cref="Autoencoder"/> and the models compared with it.
/// </summary>
public abstract class RestorationModel(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>The layers in order, for Keras-style summaries.</summary>
    public abstract IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Layers { get; }

    /// <summary>
    /// Saves the weights atomically (a temporary file, then a rename), so an
    /// interrupted save never leaves half a model. TorchSharp writes only
    /// contiguous tensors, so channels-last weights are re-strided for the
    /// write and back afterwards; the values do not change.
    /// </summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        ChannelsLastWeights.WhileContiguous(parameters(), () => save(temporary));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads weights written by <see cref="Save"/> into a fresh model of the named kind, ready to train or evaluate.</summary>
    public static RestorationModel Load(string path, string modelName = ModelCatalog.Seed)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file {path} not found.", path);
        var model = ModelCatalog.Create(modelName);
        try
        {
            model.load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException($"{path} is not a saved '{modelName}' model: {e.Message}", e);
        }
        ChannelsLastWeights.Apply(model);
        return model;
    }
}
