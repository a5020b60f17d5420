using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using DisaggServing.Benchmarks.Serving;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.KvEvents;
using DisaggServing.Protocol.Kv;
using HdrHistogram;
using Microsoft.Extensions.Logging.Abstractions;
using Nerdbank.MessagePack;

namespace DisaggServing.Benchmarks;

/// <summary>
/// <c>kv-events</c>: the KV-transfer service's two hot paths, timed on one thread.
/// <list type="number">
/// <item>Ingest: vLLM KV-event messages exactly as the ZMQ publisher frames them (msgpack <c>KVEventBatch</c>), through
/// <see cref="KvEventIngestor"/> — decode, rebuild each block's chained SHA-256 digest from its tokens, apply to the
/// index. The engine hashes with its own (random) seed, as vLLM does without PYTHONHASHSEED. Each batch is one engine
/// step: a BlockStored of 16 new blocks (a 256-token prefill chunk, chained to the last one; a new 1,024-token prompt
/// every 4 steps) and, once the cache is warm, a BlockRemoved evicting 16 old blocks. ZMQ receive is not included.</item>
/// <item>Lookup: <see cref="KvBlockIndex.FindLongestPrefix"/> of a 4k-token prompt (256 blocks) over 64 engines, engine
/// e holding the first 4·(e+1) blocks plus 2,000 unrelated ones, each call timed (p50/p99/p99.9); and the same with the
/// router's side of it, hashing the prompt first.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project tests/DisaggServing.Benchmarks -- kv-events [--batches 40000] [--lookups 200000]</c>.
/// </summary>
internal static class KvEventsBenchmark
{
    private const int BlockSize = 16;
    private const int BlocksPerStep = 16;
    private const int StepsPerPrompt = 4;
    private const int WarmSteps = 256;

    public static Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var batches = options.Int("batches", 40_000);
        var lookups = options.Int("lookups", 200_000);
        options.RejectUnknown();

        Ingest(batches, new KvBlockHashScheme(KvBlockHashAlgorithm.Sha256, "engine-random-seed"), "engine with its own seed: every block's chain rebuilt (SHA-256)");
        Ingest(batches, KvBlockHashScheme.Default, "engine with PYTHONHASHSEED=0, sha256: hashes verified, then used as they are");
        Lookup(lookups);
        return Task.FromResult(0);
    }

    private static void Ingest(int count, KvBlockHashScheme engineScheme, string label)
    {
        var messages = new List<byte[]>[count];
        var stored = new Queue<ulong[]>();
        var random = new Random(7);
        KvBlockDigest parent = default;
        ulong? parentKey = null;
        long events = 0;
        for (var step = 0; step < count; step++)
        {
            if (step % StepsPerPrompt == 0)
                parentKey = null;
            var tokens = new int[BlocksPerStep * BlockSize];
            for (var i = 0; i < tokens.Length; i++)
                tokens[i] = random.Next(128_000);
            var digests = engineScheme.HashDigests(tokens, BlockSize, parentKey is null ? null : parent);
            var hashes = digests.Select(d => d.Key).ToArray();
            var removed = stored.Count >= WarmSteps ? stored.Dequeue() : null;
            messages[step] = Frames((ulong)step, Batch(hashes, parentKey, tokens, removed));
            events += removed is null ? 1 : 2;
            stored.Enqueue(hashes);
            parent = digests[^1];
            parentKey = parent.Key;
        }

        Console.WriteLine($"KV-event ingest, {label}: {count:N0} batches, {events:N0} events, {count * BlocksPerStep:N0} blocks stored, one thread");
        for (var run = 0; run < 3; run++)
        {
            var index = new KvBlockIndex();
            var ingestor = new KvEventIngestor("10.0.3.7:8000", index, KvBlockHashScheme.Default, null, NullLogger.Instance);
            ingestor.Start();
            var start = Stopwatch.GetTimestamp();
            foreach (var frames in messages)
                ingestor.Ingest(frames);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (ingestor.Stats.Batches != count || ingestor.Stats.BlocksStored != (long)count * BlocksPerStep)
                throw new InvalidOperationException($"ingest lost batches: {ingestor.Stats.Batches} applied, {ingestor.Stats.BlocksStored} blocks");
            Console.WriteLine(
                $"  run {run + 1}: {events / seconds,12:N0} events/s  {count / seconds,10:N0} batches/s  {(double)count * BlocksPerStep / seconds,12:N0} blocks stored/s  ({seconds:F2} s; index {index.IndexedBlocks:N0} blocks)");
        }
    }

    private static void Lookup(int count)
    {
        const int engines = 64;
        var tokens = new int[4096];
        for (var i = 0; i < tokens.Length; i++)
            tokens[i] = (i * 7919) % 128_000;
        var prompt = KvBlockHasher.HashPrompt(tokens);
        var index = new KvBlockIndex();
        var random = new Random(42);
        for (var e = 0; e < engines; e++)
        {
            var id = $"10.0.{e / 8}.{e % 8}:8000";
            index.AddEngine(id);
            var noise = new ulong[2000];
            for (var i = 0; i < noise.Length; i++)
                noise[i] = (ulong)random.NextInt64();
            index.Publish(id, 0, [KvBlockEvent.Stored(prompt[..(4 * (e + 1))]), KvBlockEvent.Stored(noise)]);
        }

        var matches = new List<PrefixMatch>(engines);
        Console.WriteLine($"KV index lookup: 4,096-token prompt (256 blocks), {engines} engines all matching, {index.DistinctBlocks:N0} distinct blocks");
        Time("lookup", count, () => index.FindLongestPrefix(prompt, matches));
        Time("hash (SHA-256, 256 blocks) + lookup", Math.Max(1, count / 20), () => index.FindLongestPrefix(KvBlockHasher.HashPrompt(tokens), matches));
    }

    private static void Time(string name, int count, Func<int> call)
    {
        for (var i = 0; i < Math.Min(count, 20_000); i++)
            call();
        var histogram = new LongHistogram(1, 10_000_000_000, 3);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds));
        }

        Console.WriteLine(
            $"  {name}: {count:N0} calls  p50 {histogram.GetValueAtPercentile(50) / 1000.0:F2} µs  p99 {histogram.GetValueAtPercentile(99) / 1000.0:F2} µs  p99.9 {histogram.GetValueAtPercentile(99.9) / 1000.0:F2} µs  max {histogram.GetMaxValue() / 1000.0:F1} µs");
    }

    private static List<byte[]> Frames(ulong sequence, byte[] payload)
    {
        var seq = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, sequence);
        return ["kv-events"u8.ToArray(), seq, payload];
    }

    // vLLM's array layout: [ts, [["BlockStored", hashes, parent, tokens, 16, None, "GPU", None], ["BlockRemoved", hashes, "GPU"]], 0].
    private static byte[] Batch(ulong[] hashes, ulong? parent, int[] tokens, ulong[]? removed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(1757500000.25);
        writer.WriteArrayHeader(removed is null ? 1 : 2);
        writer.WriteArrayHeader(8);
        writer.Write("BlockStored");
        writer.WriteArrayHeader(hashes.Length);
        foreach (var h in hashes)
            writer.Write(h);
        if (parent is { } p)
            writer.Write(p);
        else
            writer.WriteNil();
        writer.WriteArrayHeader(tokens.Length);
        foreach (var t in tokens)
            writer.Write(t);
        writer.Write(BlockSize);
        writer.WriteNil();
        writer.Write("GPU");
        writer.WriteNil();
        if (removed is not null)
        {
            writer.WriteArrayHeader(3);
            writer.Write("BlockRemoved");
            writer.WriteArrayHeader(removed.Length);
            foreach (var h in removed)
                writer.Write(h);
            writer.Write("GPU");
        }

        writer.Write(0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
