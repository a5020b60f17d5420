using BenchmarkDotNet.Attributes;
using DisaggServing.KvTransfer.Index;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.Benchmarks;

/// <summary>
/// The KV-transfer service's longest-prefix lookup: a 4k-token prompt (256 chained block hashes) over 64 engines,
/// engine e holding the first 4·(e+1) blocks (so every engine matches, the last one all 256), each engine also
/// holding 2,000 unrelated blocks so the index is not trivially small (~140k distinct blocks).
/// </summary>
[MemoryDiagnoser]
public class KvIndexLookupBenchmark
{
    private const int Engines = 64;
    private const int PromptTokens = 4096;
    private const int NoiseBlocksPerEngine = 2000;

    private readonly List<PrefixMatch> _matches = new(Engines);
    private readonly KvBlockIndex _index = new();
    private int[] _tokens = null!;
    private ulong[] _prompt = null!;
    private ulong[] _unknownPrompt = null!;
    private string[] _eightEngines = null!;

    [GlobalSetup]
    public void Setup()
    {
        var tokens = new int[PromptTokens];
        for (var i = 0; i < tokens.Length; i++)
            tokens[i] = (i * 7919) % 128_000;
        _tokens = (int[])tokens.Clone();
        _prompt = KvBlockHasher.HashPrompt(tokens);
        tokens[0]++;
        _unknownPrompt = KvBlockHasher.HashPrompt(tokens);

        var random = new Random(42);
        for (var e = 0; e < Engines; e++)
        {
            var id = $"decode-{e}";
            _index.AddEngine(id);
            var noise = new ulong[NoiseBlocksPerEngine];
            for (var i = 0; i < noise.Length; i++)
                noise[i] = (ulong)random.NextInt64();
            _index.Publish(id, 0, [KvBlockEvent.Stored(_prompt[..(4 * (e + 1))]), KvBlockEvent.Stored(noise)]);
        }

        _eightEngines = Enumerable.Range(0, 8).Select(e => $"decode-{e * 8}").ToArray();
    }

    /// <summary>Every engine matches; the walk covers all 256 blocks.</summary>
    [Benchmark(Baseline = true)]
    public int AllEngines() => _index.FindLongestPrefix(_prompt, _matches);

    /// <summary>The router asks about 8 candidate engines only (the walk stops at the longest of them, block 228).</summary>
    [Benchmark]
    public int EightCandidates() => _index.FindLongestPrefix(_prompt, _matches, _eightEngines);

    /// <summary>What the router pays per request: hash the 4k prompt's tokens into 256 chained block hashes, then look up.</summary>
    [Benchmark]
    public int HashThenLookup() => _index.FindLongestPrefix(KvBlockHasher.HashPrompt(_tokens), _matches);

    /// <summary>No engine holds the first block: one probe.</summary>
    [Benchmark]
    public int Miss() => _index.FindLongestPrefix(_unknownPrompt, _matches);
}
