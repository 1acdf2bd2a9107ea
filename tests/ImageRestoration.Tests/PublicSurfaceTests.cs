using ImageRestoration.Notebooks;

namespace ImageRestoration.Tests;

/// <summary>
/// Types are internal unless a notebook or the command line names them (the
/// display library sees the core's internals): the public surface is what a reader of the
/// notebooks meets, and it may shrink but not creep back. A new public type
/// needs a user outside its assembly; raising a ceiling here says which.
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>
    /// The core's public types: those the notebooks and the command line use,
    /// and the types that public signatures (the display library's too) name.
    /// </summary>
    public const int MostCoreTypes = 64;

    /// <summary>The display library's public types: those the notebooks (and their apps) and the command line use.</summary>
    public const int MostDisplayTypes = 33;

    [Fact]
    public void TheCoreExportsNoMoreTypesThanItsUsersNeed() =>
        AssertAtMost(typeof(TorchRuntime).Assembly.GetExportedTypes(), MostCoreTypes);

    [Fact]
    public void TheDisplayLibraryExportsNoMoreTypesThanItsUsersNeed() =>
        AssertAtMost(typeof(NotebookDisplay).Assembly.GetExportedTypes(), MostDisplayTypes);

    private static void AssertAtMost(Type[] exported, int most) =>
        Assert.True(exported.Length <= most,
            $"{exported[0].Assembly.GetName().Name} exports {exported.Length} types, more than {most}; make the new ones internal " +
            "unless a notebook, the command line or another assembly uses them:" + Environment.NewLine +
            string.Join(Environment.NewLine, exported.Select(t => t.FullName).Order(StringComparer.Ordinal)));
}
