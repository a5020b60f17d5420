using BenchmarkDotNet.Attributes;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Benchmarks;

/// <summary>
/// An offline-simulation loop without a step-time model: 10,000 requests (512-2048 prompt tokens, 64-256 output
/// tokens, all arriving at once) through one engine to the end. Divide by 10,000 for the per-request cost.
/// </summary>
[MemoryDiagnoser]
public class SimulationThroughputBenchmark
{
    private const int Requests = 10_000;
    private EngineRequest[] _requests = null!;

    [IterationSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _requests = new EngineRequest[Requests];
        for (var i = 0; i < Requests; i++)
            _requests[i] = new EngineRequest($"r{i}", rng.Next(512, 2049), rng.Next(64, 257));
    }

    [Benchmark]
    public long Simulate10kRequests()
    {
        var scheduler = new Scheduler(new SchedulerConfig { NumGpuBlocks = 40_000 });
        foreach (var request in _requests)
            scheduler.Add(request);
        var now = TimeSpan.Zero;
        long steps = 0;
        while (scheduler.HasUnfinishedRequests)
        {
            scheduler.Schedule(now);
            now += TimeSpan.FromMilliseconds(20);
            scheduler.CompleteStep(now);
            steps++;
        }
        return steps;
    }
}
