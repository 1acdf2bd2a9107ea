using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ImageRestoration.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>Where training stands: the next batch to run and the running sums of the epoch under way.</summary>
internal sealed record TrainingPosition(int Epoch, int NextBatch, double LossSum, double MseSum, double Seconds)
{
    public static TrainingPosition Start { get; } = new(1, 0, 0, 0, 0);
}

/// <summary>
/// Everything needed to continue training exactly where it stopped, in one
/// file: model weights, Adam's state, the random generator's state, the
/// history, the position in the epoch and, mid-epoch, the epoch's shuffled
/// order. Written to a temporary file, flushed to disk and renamed, so the
/// checkpoint on disk is always a whole one, even if the process is killed.
/// The zip's comment, its last bytes, holds the SHA-256 of every byte before
/// it, checked before anything is read: one flipped bit anywhere is refused
/// (the zip's own CRC-32 covers only the entries' content, and .NET reads
/// entries without checking it). It names the run it belongs to, so a
/// checkpoint copied in from another run is refused; one without that name
/// (written before it was recorded) is checked field by field instead.
/// </summary>
internal static class Checkpoint
{
    private const string ModelEntry = "model.bin";
    private const string OptimizerEntry = "optimizer.bin";
    private const string GeneratorEntry = "generator.bin";
    private const string HistoryEntry = "history.json";
    private const string PositionEntry = "position.json";
    private const string OrderEntry = "order.bin";
    private const string RunEntry = "run.txt";

    private const string SealPrefix = "sha256:";
    private const int HashLength = 64;

    /// <summary>Saves a checkpoint of the run <paramref name="run"/> (see <see cref="RunName.Identity"/>).</summary>
    public static void Save(string path, RestorationModel model, Adam optimizer, Generator generator,
        TrainingHistory history, TrainingPosition position, Tensor? order = null, string? run = null) =>
        AtomicFile.Write(path, temporary => Write(temporary, model, optimizer, generator, history, position, order, run));

    private static void Write(string temporary, RestorationModel model, Adam optimizer, Generator generator,
        TrainingHistory history, TrainingPosition position, Tensor? order, string? run)
    {
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite))
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                zip.Comment = SealPrefix + new string('0', HashLength);
                ChannelsLastWeights.WhileContiguous(model.parameters().Concat(AdamTensors(optimizer)), () =>
                {
                    Write(zip, ModelEntry, writer => model.save(writer));
                    Write(zip, OptimizerEntry, writer => optimizer.save_state_dict(writer));
                });
                using (var state = generator.get_state())
                    Write(zip, GeneratorEntry, writer => writer.Write(state.data<byte>().ToArray()));
                Write(zip, HistoryEntry, writer => writer.Write(System.Text.Encoding.UTF8.GetBytes(history.ToJson())));
                Write(zip, PositionEntry, writer => writer.Write(JsonSerializer.SerializeToUtf8Bytes(position)));
                if (run is not null) Write(zip, RunEntry, writer => writer.Write(System.Text.Encoding.UTF8.GetBytes(run)));
                if (order is not null)
                    Write(zip, OrderEntry, writer => writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(order.data<long>().ToArray().AsSpan())));
            }
            Seal(file);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Overwrites the placeholder at the end of the file with the SHA-256 of everything before it.</summary>
    private static void Seal(FileStream file)
    {
        var sealedLength = file.Length - HashLength;
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        for (long done = 0; done < sealedLength;)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, sealedLength - done));
            hash.AppendData(buffer, 0, read);
            done += read;
        }
        file.Position = sealedLength;
        file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    /// <summary>
    /// The file's bytes, once its seal says they are exactly the bytes that
    /// were saved. A checkpoint from before the seal (its zip has no comment at
    /// all, which no flipped bit of a sealed one can give) is checked entry by
    /// entry against the zip's CRC-32s instead.
    /// </summary>
    private static (byte[] Bytes, bool Legacy) ReadSealed(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 22 && bytes.AsSpan(bytes.Length - 22, 4).SequenceEqual("PK\u0005\u0006"u8) && bytes[^1] == 0 && bytes[^2] == 0)
            return (bytes, true);
        var sealStart = bytes.Length - HashLength - SealPrefix.Length;
        if (sealStart < 0 || System.Text.Encoding.ASCII.GetString(bytes, sealStart, SealPrefix.Length) != SealPrefix)
            throw new InvalidDataException($"{path} is damaged or was not written by this program: it has no SHA-256 seal.");
        var recorded = System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - HashLength, HashLength);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength)));
        if (recorded != actual)
            throw new InvalidDataException($"{path} is damaged: its SHA-256 does not match the one it was saved with.");
        return (bytes, false);
    }

    private static void CheckEntryCrcs(ZipArchive zip)
    {
        foreach (var entry in zip.Entries)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in ReadBytes(zip, entry.FullName)) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            if (~crc != entry.Crc32) throw new InvalidDataException($"the entry {entry.FullName} does not match its CRC-32");
        }
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>
    /// Restores model, optimizer and generator in place; returns the history,
    /// the position and the saved order (or null). With <paramref name="run"/>,
    /// a checkpoint that names another run is refused.
    /// </summary>
    public static (TrainingHistory History, TrainingPosition Position, Tensor? Order) Load(string path, RestorationModel model, Adam optimizer, Generator generator,
        string? run = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}.", path);
        var (bytes, legacy) = ReadSealed(path);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            if (legacy) CheckEntryCrcs(zip);
            if (run is not null && zip.GetEntry(RunEntry) is not null && System.Text.Encoding.UTF8.GetString(ReadBytes(zip, RunEntry)) is var saved && saved != run)
                throw new InvalidDataException($"it belongs to the run {saved}, not {run} (copied in from another run?)");
            // TorchSharp also reads only into contiguous tensors.
            ChannelsLastWeights.WhileContiguous(model.parameters().Concat(AdamTensors(optimizer)), () =>
            {
                Read(zip, ModelEntry, reader => model.load(reader));
                Read(zip, OptimizerEntry, reader => optimizer.load_state_dict(reader));
            });
            var state = ReadBytes(zip, GeneratorEntry);
            using (var expected = generator.get_state())
                if (state.Length != expected.numel())
                    throw new InvalidDataException($"the generator state has {state.Length} bytes, not {expected.numel()}");
            using (var stateTensor = tensor(state, ScalarType.Byte))
                generator.set_state(stateTensor);
            var history = TrainingHistory.FromJson(System.Text.Encoding.UTF8.GetString(ReadBytes(zip, HistoryEntry)));
            var position = JsonSerializer.Deserialize<TrainingPosition>(ReadBytes(zip, PositionEntry))
                           ?? throw new InvalidDataException("the position is null");
            var order = zip.GetEntry(OrderEntry) is null ? null : ReadOrder(ReadBytes(zip, OrderEntry));
            CheckPosition(position, history, order is not null);
            return (history, position, order is null ? null : tensor(order));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"{path} is not a usable checkpoint: {e.Message}", e);
        }
    }

    /// <summary>The position must follow the history; mid-epoch (and only then) it comes with the epoch's order.</summary>
    private static void CheckPosition(TrainingPosition position, TrainingHistory history, bool hasOrder)
    {
        if (position.Epoch != history.Epochs.Count + 1 || position.NextBatch < 0)
            throw new InvalidDataException($"the position (epoch {position.Epoch}, batch {position.NextBatch}) does not follow its {history.Epochs.Count} epochs of history");
        if ((position.NextBatch > 0) != hasOrder)
            throw new InvalidDataException(hasOrder
                ? "it holds an image order but stands at the start of an epoch"
                : $"it stands at batch {position.NextBatch} of an epoch but holds no image order for it");
        if (new[] { position.LossSum, position.MseSum, position.Seconds }.Any(v => !double.IsFinite(v) || v < 0) ||
            (position.NextBatch == 0 && (position.LossSum, position.MseSum) != (0, 0)))
            throw new InvalidDataException($"the running sums of its epoch ({position.LossSum}, {position.MseSum}, {position.Seconds} s) are impossible");
    }

    /// <summary>The saved order of an epoch's images: whole 64-bit indices, each image exactly once.</summary>
    private static long[] ReadOrder(byte[] bytes)
    {
        if (bytes.Length % sizeof(long) != 0) throw new InvalidDataException($"the image order has {bytes.Length} bytes, not whole 64-bit indices");
        var order = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes).ToArray();
        var seen = new bool[order.Length];
        foreach (var index in order)
        {
            if (index < 0 || index >= order.Length || seen[index])
                throw new InvalidDataException($"the image order is not a permutation of its {order.Length} images (index {index} is out of range or repeated)");
            seen[index] = true;
        }
        return order;
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
