namespace ImageRestoration.Tests;

/// <summary>
/// libtorch's "Could not initialize NNPACK! Reason: Unsupported hardware." is
/// printed before every float64 convolution (SSIM's) on a CPU NNPACK does not
/// know, such as the AMD EPYC family 26 this kit is measured on: the switch
/// that stops libtorch asking is off, and a real evaluation through the
/// command line prints no such line while its standard error stays open to
/// every other warning.
/// </summary>
public sealed class NativeWarningTests : IDisposable
{
    private readonly CliWorkspace workspace = new(testImages: 64);

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void LibTorchNoLongerAsksNnpack()
    {
        Assert.Equal(false, TorchRuntime.NnpackEnabled());
    }

    [Fact]
    public void AnEvaluationPrintsNoNnpackLine()
    {
        var (trained, trainOutput) = CliProcess.Run([.. workspace.Train(1, workspace.Data), "--set", "trainLimit=256"]);
        Assert.True(trained == 0, trainOutput);
        var (evaluated, output) = CliProcess.Run(["evaluate", workspace.Folder.Path, "--data", workspace.Data]);

        Assert.True(evaluated == 0, output);
        Assert.Contains("SSIM", output); // the float64 convolutions ran
        Assert.DoesNotContain("NNPACK", trainOutput + output);
    }
}
