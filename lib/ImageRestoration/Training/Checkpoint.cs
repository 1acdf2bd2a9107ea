using System.IO.Compression;
using System.Text.Json;
using ImageRestoration.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>Where training stands: the next batch to run and the running sums of the epoch under way.</summary>
public sealed record TrainingPosition(int Epoch, int NextBatch, double LossSum, double MseSum, double Seconds)
{
    public static TrainingPosition Start { get; } = new(1, 0, 0, 0, 0);
}

/// <summary>
/// Everything needed to continue training exactly where it stopped, in one
/// file: model weights, Adam's state, the random generator's state, the
/// history, the position in the epoch and, mid-epoch, the epoch's shuffled
/// order. Written to a temporary file, flushed to disk and renamed, so the
/// checkpoint on disk is always a whole one, even if the process is killed.
/// </summary>
public static class Checkpoint
{
    private const string ModelEntry = "model.bin";
    private const string OptimizerEntry = "optimizer.bin";
    private const string GeneratorEntry = "generator.bin";
    private const string HistoryEntry = "history.json";
    private const string PositionEntry = "position.json";
    private const string OrderEntry = "order.bin";

    public static void Save(string path, RestorationModel model, Adam optimizer, Generator generator,
        TrainingHistory history, TrainingPosition position, Tensor? order = null)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                ChannelsLastWeights.WhileContiguous(model.parameters().Concat(AdamTensors(optimizer)), () =>
                {
                    Write(zip, ModelEntry, writer => model.save(writer));
                    Write(zip, OptimizerEntry, writer => optimizer.save_state_dict(writer));
                });
                using (var state = generator.get_state())
                    Write(zip, GeneratorEntry, writer => writer.Write(state.data<byte>().ToArray()));
                Write(zip, HistoryEntry, writer => writer.Write(System.Text.Encoding.UTF8.GetBytes(history.ToJson())));
                Write(zip, PositionEntry, writer => writer.Write(JsonSerializer.SerializeToUtf8Bytes(position)));
                if (order is not null)
                    Write(zip, OrderEntry, writer => writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(order.data<long>().ToArray().AsSpan())));
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores model, optimizer and generator in place; returns the history, the position and the saved order (or null).</summary>
    public static (TrainingHistory History, TrainingPosition Position, Tensor? Order) Load(string path, RestorationModel model, Adam optimizer, Generator generator)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}.", path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            // TorchSharp also reads only into contiguous tensors.
            ChannelsLastWeights.WhileContiguous(model.parameters().Concat(AdamTensors(optimizer)), () =>
            {
                Read(zip, ModelEntry, reader => model.load(reader));
                Read(zip, OptimizerEntry, reader => optimizer.load_state_dict(reader));
            });
            var state = ReadBytes(zip, GeneratorEntry);
            using (var stateTensor = tensor(state, ScalarType.Byte))
                generator.set_state(stateTensor);
            var history = TrainingHistory.FromJson(System.Text.Encoding.UTF8.GetString(ReadBytes(zip, HistoryEntry)));
            var position = JsonSerializer.Deserialize<TrainingPosition>(ReadBytes(zip, PositionEntry))
                           ?? throw new InvalidDataException("the position is null");
            Tensor? order = null;
            if (zip.GetEntry(OrderEntry) is not null)
                order = tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(ReadBytes(zip, OrderEntry)).ToArray());
            return (history, position, order);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"{path} is not a usable checkpoint: {e.Message}", e);
        }
    }

    // Adam keeps two running averages per weight, shaped (and strided) like the weight.
    private static IEnumerable<Tensor> AdamTensors(Adam optimizer) =>
        optimizer.state_dict().State.OfType<Adam.State>()
            .SelectMany(s => new[] { s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq })
            .Where(t => t is not null && !t.IsInvalid)!;

    private static void Write(ZipArchive zip, string name, Action<BinaryWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var writer = new BinaryWriter(stream);
        write(writer);
    }

    private static void Read(ZipArchive zip, string name, Action<BinaryReader> read)
    {
        using var reader = new BinaryReader(new MemoryStream(ReadBytes(zip, name)));
        read(reader);
    }

    private static byte[] ReadBytes(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"the entry {name} is missing");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
