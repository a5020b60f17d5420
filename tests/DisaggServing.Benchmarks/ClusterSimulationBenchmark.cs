using BenchmarkDotNet.Attributes;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Benchmarks;

/// <summary>
/// The cluster simulator on ShareGPT-like traffic, as <c>disagg simulate</c> and every probe of <c>disagg plan</c> run
/// it: 20,000 requests at 40 req/s through Llama-3.3-70B FP8, 4 prefill + 4 decode replicas of TP=2 on H100.
/// Simulated requests per wall second = 20,000 / the mean.
/// </summary>
[MemoryDiagnoser]
public class ClusterSimulationBenchmark
{
    private const int Requests = 20_000;
    private static readonly EngineSpec Tp2 = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8 };
    private readonly ClusterSpec _cluster = new() { Prefill = new PoolSpec(Tp2, 4), Decode = new PoolSpec(Tp2, 4) };
    private WorkloadRequest[] _workload = null!;

    [GlobalSetup]
    public void Setup() => _workload = WorkloadSpec.ShareGpt.Generate(Requests, 40, seed: 1);

    [Benchmark]
    public int Simulate20kShareGptRequests() => ClusterSimulator.Run(_cluster, _workload, new SloSpec(400, 50)).Completed;
}
