namespace ImageRestoration.Models;

/// <summary>The models an experiment can name in its configuration (<c>model=seed</c>).</summary>
public static class ModelCatalog
{
    /// <summary>The presentation's 4,385-parameter autoencoder.</summary>
    public const string Seed = "seed";

    /// <summary>The seed's topology with every layer's filters multiplied (see <see cref="Autoencoder"/>).</summary>
    public const string Wide = "wide";

    /// <summary>A small U-Net: the encoder/decoder with skip connections (see <see cref="UNet"/>).</summary>
    public const string UNet = "unet";

    /// <summary>The same U-Net with half the filters (8 at full resolution): 10,001 parameters, near the seed's budget.</summary>
    public const string UNetSmall = "unet-small";

    private static readonly Dictionary<string, Func<RestorationModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        [Seed] = () => new Autoencoder(),
        [Wide] = () => new Autoencoder(multiplier: 4),
        [UNet] = () => new Models.UNet(),
        [UNetSmall] = () => new Models.UNet(channels: 8),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>A new model with fresh weights drawn from the global generator (seed it first).</summary>
    public static RestorationModel Create(string name) =>
        Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"Unknown model '{name}'; known models: {string.Join(", ", Names)}.", nameof(name));
}
