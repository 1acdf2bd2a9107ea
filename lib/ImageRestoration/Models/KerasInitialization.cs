using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Models;

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
