using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

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

/// <summary>
/// The models an experiment can name in its configuration (<c>model=presentation</c>):
/// the built-in ones, and any <c>Module&lt;Tensor, Tensor&gt;</c> a notebook
/// <see cref="Register"/>s, which then trains through the same
/// <c>Experiment</c> path as the presentation's model.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The presentation's 4,385-parameter autoencoder.</summary>
    public const string Presentation = "presentation";

    /// <summary>
    /// The presentation's model's first name, which read as the random seed
    /// (a run named clean-seed42 trained "model seed"). Configurations, run
    /// folders and tables written under it still read (<see cref="Canonical"/>),
    /// and run names still hash it (<c>RunName</c>), so those runs keep their names.
    /// </summary>
    internal const string FormerPresentation = "seed";

    /// <summary>The presentation model's topology with every layer's filters multiplied (see <see cref="Autoencoder"/>).</summary>
    public const string Wide = "wide";

    /// <summary>A small U-Net: the encoder/decoder with skip connections (see <see cref="UNet"/>).</summary>
    public const string UNet = "unet";

    /// <summary>The same U-Net with half the filters (8 at full resolution): 10,001 parameters, near the presentation model's budget.</summary>
    public const string UNetSmall = "unet-small";

    /// <summary>
    /// The blind photo denoiser with 8 convolutions of 32 filters at full resolution that predict the noise
    /// (see <see cref="NoiseResidualNetwork"/>): 56,097 parameters; measured below <see cref="PhotoWide"/> (docs/results.md).
    /// </summary>
    public const string Photo = "photo";

    /// <summary>
    /// The blind photo denoiser at half resolution, FFDNet's way (see <see cref="NoiseResidualNetwork"/>
    /// with scale 2): 8 convolutions of 64 filters on the picture unshuffled into four half-size channels.
    /// About <see cref="Photo"/>'s work per pixel, four times its parameters, twice its reach; measured
    /// below it for the same training time (docs/results.md), so not shipped.
    /// </summary>
    public const string PhotoHalf = "photo-half";

    /// <summary>
    /// The blind photo denoiser, the shipped kind: <see cref="Photo"/> with half as many filters again,
    /// 8 convolutions of 48 at full resolution, 125,617 parameters (502 kB), 2.2 times its work per pixel.
    /// </summary>
    public const string PhotoWide = "photo-wide";

    /// <summary>The photo denoisers' names, the shipped kind first: what a photo model file is tried as when loaded.</summary>
    public static IReadOnlyList<string> PhotoModels { get; } = [PhotoWide, Photo, PhotoHalf];

    private static readonly Dictionary<string, Func<RestorationModel>> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        [Presentation] = () => new Autoencoder(),
        [Wide] = () => new Autoencoder(multiplier: 4),
        [UNet] = () => new Models.UNet(),
        [UNetSmall] = () => new Models.UNet(channels: 8),
        [Photo] = () => new NoiseResidualNetwork(),
        [PhotoWide] = () => new NoiseResidualNetwork(depth: 8, width: 48),
        [PhotoHalf] = () => new NoiseResidualNetwork(depth: 8, width: 64, scale: 2),
    };

    private static readonly Dictionary<string, (Func<RestorationModel> Create, string Fingerprint)> Registered =
        new(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Names => [.. BuiltIn.Keys, .. Registered.Keys];

    /// <summary>A new model with fresh weights drawn from the global generator (seed it first).</summary>
    public static RestorationModel Create(string name) =>
        BuiltIn.TryGetValue(Canonical(name), out var create) ? create()
        : Registered.TryGetValue(name, out var registered) ? registered.Create()
        : throw new ArgumentException($"Unknown model '{name}'; known models: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>
    /// The model's current name: the presentation's model for its former name
    /// (<see cref="FormerPresentation"/>, any case), any other name as given.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(name))]
    internal static string? Canonical(string? name) => IsFormerName(name) ? Presentation : name;

    /// <summary>True for the presentation model's former name, which a reader maps with <see cref="Canonical"/>.</summary>
    internal static bool IsFormerName(string? name) => string.Equals(name, FormerPresentation, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Makes <paramref name="create"/> a model the configuration can name
    /// (<c>model=NAME</c>), replacing an earlier registration of that name.
    /// Any module is accepted that maps a batch of 1x28x28 pictures to a batch
    /// of 1x28x28 pictures in [0,1] (binary cross-entropy needs a sigmoid-like
    /// last step); one is built and tried on two pictures first, and an
    /// <see cref="ArgumentException"/> names the shape it gave otherwise.
    /// </summary>
    public static void Register(string name, Func<Module<Tensor, Tensor>> create)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new ArgumentException($"Model name '{name}': use letters, digits, '-' or '_' (it becomes part of a folder name).", nameof(name));
        if (BuiltIn.ContainsKey(name) || IsFormerName(name))
            throw new ArgumentException($"'{name}' is a built-in model; give yours another name.", nameof(name));
        RestorationModel Wrapped()
        {
            var model = create();
            return model as RestorationModel ?? new NotebookModel(name, model);
        }
        using var trial = Wrapped();
        Registered[name] = (Wrapped, Check(name, trial));
    }

    /// <summary>
    /// What identifies a registered model's architecture (its parameters'
    /// names and shapes); empty for built-in names, whose code is the library's.
    /// </summary>
    public static string Fingerprint(string name) =>
        Registered.TryGetValue(name, out var registered) ? registered.Fingerprint : "";

    private static string Check(string name, RestorationModel model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        using var pictures = rand(2, 1, 28, 28);
        Tensor output;
        try
        {
            output = model.forward(pictures);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ArgumentException($"Model '{name}' fails on a batch of 2 pictures of shape (2, 1, 28, 28): {e.Message}", e);
        }
        var shape = string.Join(", ", output.shape);
        if (shape != "2, 1, 28, 28")
            throw new ArgumentException($"Model '{name}' turns pictures of shape (2, 1, 28, 28) into ({shape}); " +
                                        "a restoration model must give back (2, 1, 28, 28).");
        var (low, high) = (output.min().item<float>(), output.max().item<float>());
        if (!(low >= 0 && high <= 1))
            throw new ArgumentException($"Model '{name}' gives values in [{low:G4}, {high:G4}]; binary cross-entropy needs [0,1]: " +
                                        "end the model with a sigmoid.");
        return string.Join(";", model.named_parameters().Select(p => $"{p.name}:{string.Join("x", p.parameter.shape)}"));
    }

    /// <summary>A module defined outside the library, seen as a restoration model.</summary>
    private sealed class NotebookModel : RestorationModel
    {
        private readonly Module<Tensor, Tensor> model;

        public NotebookModel(string name, Module<Tensor, Tensor> model) : base(name)
        {
            this.model = model;
            RegisterComponents();
            // The module keeps its own initial weights; only their layout changes, as for every
            // library model: with NCHW weights, training hits NaN on AVX-512 CPUs (ChannelsLastWeights).
            ChannelsLastWeights.Apply(this);
        }

        public override Tensor forward(Tensor input) => model.forward(input);

        protected override void Dispose(bool disposing)
        {
            if (disposing) model.Dispose();
            base.Dispose(disposing);
        }
    }
}
