using BenchmarkDotNet.Attributes;
using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins.LeastLoad;
using DisaggServing.Scheduling.Plugins.MaxScore;
using DisaggServing.Scheduling.Plugins.PrefixCache;

namespace DisaggServing.Benchmarks;

/// <summary>The router's decode profile (prefix-cache ×2 + least-load, max-score picker) over 64 endpoints.</summary>
[MemoryDiagnoser]
public class SchedulingProfileBenchmark
{
    private const int Endpoints = 64;
    private EngineEndpoint[] _pool = null!;
    private SchedulingProfile _profile = null!;
    private SchedulingContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _pool = new EngineEndpoint[Endpoints];
        var matches = new Dictionary<string, int>();
        for (var i = 0; i < Endpoints; i++)
        {
            _pool[i] = new EngineEndpoint($"http://10.0.{i / 250}.{i % 250 + 1}:8000", $"decode-{i}")
            {
                Load = new EndpointLoad(random.Next(0, 8), random.Next(0, 256), random.NextDouble()),
            };
            matches[$"decode-{i}"] = random.Next(0, 256);
        }
        _profile = new SchedulingProfile("decode", [],
            [new WeightedScorer(new PrefixCacheScorer(), 2), new WeightedScorer(new LeastLoadScorer(), 1)], new MaxScorePicker());
        _context = new SchedulingContext("bench", Prompt.FromTokens(Enumerable.Range(0, 4096).ToArray()), 16) { PrefixMatches = matches };
    }

    [Benchmark]
    public EngineEndpoint? PickOf64() => _profile.Pick(_context, _pool);
}
