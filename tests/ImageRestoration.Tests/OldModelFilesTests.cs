using System.Text.Json;
using ImageRestoration.Models;
using ImageRestoration.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>
/// Model and checkpoint files written by an earlier form of the models
/// (Fixtures/ModelFiles: one epoch on 256 images) must still load and give
/// the outputs that form computed from them, recorded in expected.json:
/// the state dict's names and the checkpoint's layout are a contract with
/// every saved run. The presentation's model is read by its former name
/// "seed", the name its fixture folder and recorded outputs were written under.
/// </summary>
public sealed class OldModelFilesTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Find()!, "tests", "ImageRestoration.Tests", "Fixtures", "ModelFiles");

    public OldModelFilesTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData("seed")]
    [InlineData(ModelCatalog.UNetSmall)]
    public void SavedModelGivesTheRecordedOutputs(string name)
    {
        using var model = RestorationModel.Load(Path.Combine(Folder, name, "model.bin"), name);
        AssertRecorded(name, "model", Outputs(model));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData(ModelCatalog.UNetSmall)]
    public void CheckpointResumesWithTheRecordedWeightsAndAdamState(string name)
    {
        manual_seed(1);
        using var model = ModelCatalog.Create(name);
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-7);
        using var generator = new Generator(7);
        var (history, position, order) = Checkpoint.Load(Path.Combine(Folder, name, "checkpoint.bin"), model, optimizer, generator);
        order?.Dispose();

        Assert.Single(history.Epochs);
        Assert.Equal(2, position.Epoch);
        AssertRecorded(name, "checkpoint", Outputs(model));
        // One more Adam step uses the restored running averages: a wrong or missing state gives other weights.
        using (var input = Input())
        {
            model.train();
            using var loss = nn.functional.binary_cross_entropy(model.forward(input), input);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        AssertRecorded(name, "checkpoint+step", Outputs(model));
    }

    /// <summary>A fixed input without random numbers: four pictures of a sawtooth pattern in [0,1].</summary>
    private static Tensor Input() => arange(0, 4 * 28 * 28, ScalarType.Float32).reshape(4, 1, 28, 28).remainder(97f).div(96f);

    /// <summary>The output's sum and a few pixels, in evaluation mode.</summary>
    private static double[] Outputs(RestorationModel model)
    {
        model.eval();
        using var _ = no_grad();
        using var input = Input();
        using var output = model.forward(input).to(ScalarType.Float64);
        var flat = output.flatten();
        return [output.sum().item<double>(), .. new long[] { 0, 100, 400, 783, 1500, 3135 }.Select(i => flat[i].item<double>())];
    }

    private static void AssertRecorded(string name, string what, double[] actual)
    {
        var recorded = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double[]>>>(
            File.ReadAllText(Path.Combine(Folder, "expected.json")))!;
        var expected = recorded[name][what];
        Assert.Equal(expected.Length, actual.Length);
        // The same file and input: the same numbers up to float32 rounding of the sum's order (threads may split it differently).
        Assert.Equal(expected[0], actual[0], 3e-4);
        for (var i = 1; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-6);
    }
}
