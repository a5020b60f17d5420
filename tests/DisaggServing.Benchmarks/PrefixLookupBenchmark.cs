using BenchmarkDotNet.Attributes;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.Benchmarks;

/// <summary>Longest-prefix lookup of a 4k-token prompt (256 blocks) whose first 255 blocks are cached.</summary>
[MemoryDiagnoser]
public class PrefixLookupBenchmark
{
    private const int PromptTokens = 4096;
    private readonly List<int> _hits = new(PromptTokens / 16);
    private int[] _tokens = null!;
    private ulong[] _hashes = null!;
    private KvCacheManager _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tokens = new int[PromptTokens];
        for (var i = 0; i < _tokens.Length; i++)
            _tokens[i] = (i * 7919) % 128_000;
        _hashes = KvBlockHasher.HashPrompt(_tokens);
        _cache = new KvCacheManager(4096);
        var table = new KvBlockTable();
        _cache.TryAllocateSlots(table, PromptTokens);
        _cache.CacheFullBlocks(table, _hashes, PromptTokens);
        _cache.Free(table);
    }

    [Benchmark(Baseline = true)]
    public int Lookup() => _cache.FindCachedPrefix(_hashes, (PromptTokens - 1) / 16, _hits);

    /// <summary>What a router or engine pays per request: hash the prompt's blocks, then look up.</summary>
    [Benchmark]
    public int HashAndLookup() => _cache.FindCachedPrefix(KvBlockHasher.HashPrompt(_tokens), (PromptTokens - 1) / 16, _hits);
}
