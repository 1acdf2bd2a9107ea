namespace ImageRestoration;

// Public here, for the display library's defaults (the shipped model, the notebooks' log folders);
// the part in RepositoryRoot.cs names no accessibility, so the runner's copy of it is internal.
public static partial class RepositoryRoot
{
}
