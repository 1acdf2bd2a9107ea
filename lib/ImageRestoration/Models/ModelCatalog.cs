namespace ImageRestoration.Models;

/// <summary>The models an experiment can name in its configuration (<c>model=seed</c>).</summary>
public static class ModelCatalog
{
    /// <summary>The presentation's 4,385-parameter autoencoder.</summary>
    public const string Seed = "seed";

    private static readonly Dictionary<string, Func<RestorationModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        [Seed] = () => new Autoencoder(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>A new model with fresh weights drawn from the global generator (seed it first).</summary>
    public static RestorationModel Create(string name) =>
        Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"Unknown model '{name}'; known models: {string.Join(", ", Names)}.", nameof(name));
}
