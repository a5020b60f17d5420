using BenchmarkDotNet.Attributes;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Benchmarks;

/// <summary>
/// The cluster simulator on ShareGPT-like traffic, as <c>disagg simulate</c> and every probe of <c>disagg plan</c> run
/// it: 20,000 requests at 40 req/s through Llama-3.3-70B FP8 on H100, TP=2, as 4 prefill + 4 decode replicas or as 8
/// colocated ones. Simulated requests per wall second = 20,000 / the mean. <see cref="FastForward"/> and
/// <see cref="Cohort"/> both false is the one-event-per-step loop over every running request (the baseline);
/// <see cref="FastForward"/> runs all-decode stretches in closed form, <see cref="Cohort"/> keeps decoding requests as
/// a cohort whose steps cost their changes; all four give the same results.
/// </summary>
[MemoryDiagnoser]
public class ClusterSimulationBenchmark
{
    private const int Requests = 20_000;
    private static readonly EngineSpec Tp2 = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8 };
    private static readonly ClusterSpec Disaggregated = new() { Prefill = new PoolSpec(Tp2, 4), Decode = new PoolSpec(Tp2, 4) };
    private static readonly ClusterSpec Colocated = new() { Colocated = new PoolSpec(Tp2, 8) };
    private WorkloadRequest[] _workload = null!;

    [Params(false, true)]
    public bool FastForward { get; set; }

    [Params(false, true)]
    public bool Cohort { get; set; }

    [GlobalSetup]
    public void Setup() => _workload = WorkloadSpec.ShareGpt.Generate(Requests, 40, seed: 1);

    [Benchmark]
    public int Simulate20kShareGptRequestsDisaggregated() => Run(Disaggregated);

    [Benchmark]
    public int Simulate20kShareGptRequestsColocated() => Run(Colocated);

    private int Run(ClusterSpec cluster) => new ClusterRun(cluster, _workload, null, null, FastForward, Cohort).Execute(new SloSpec(400, 50)).Completed;
}
