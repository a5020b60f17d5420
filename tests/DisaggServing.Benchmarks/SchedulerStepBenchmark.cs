using BenchmarkDotNet.Attributes;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Benchmarks;

/// <summary>One scheduler step (Schedule + CompleteStep) over 256 running decodes.</summary>
[MemoryDiagnoser]
[InvocationCount(1024)]
public class SchedulerStepBenchmark
{
    private const int Sequences = 256;
    private const int PromptTokens = 512;
    private Scheduler _scheduler = null!;
    private TimeSpan _now;

    // Rebuilt per iteration so the batch stays 256 decodes (nobody finishes within 1024 steps).
    [IterationSetup]
    public void Setup()
    {
        _scheduler = new Scheduler(new SchedulerConfig { NumGpuBlocks = Sequences * 200, MaxNumSeqs = Sequences });
        for (var i = 0; i < Sequences; i++)
            _scheduler.Add(new EngineRequest($"r{i}", PromptTokens, 2048));
        _now = TimeSpan.Zero;
        // Prefill all of them (8192-token budget: 16 prompts per step) until a step is all decodes.
        bool allDecode;
        do
        {
            allDecode = _scheduler.Schedule(_now).Shape.DecodeSequences == Sequences;
            _scheduler.CompleteStep(_now);
        }
        while (!allDecode);
    }

    [Benchmark]
    public int DecodeStep()
    {
        var batch = _scheduler.Schedule(_now);
        _now += TimeSpan.FromMilliseconds(20);
        return batch.Count + _scheduler.CompleteStep(_now).Emitted.Count;
    }
}
