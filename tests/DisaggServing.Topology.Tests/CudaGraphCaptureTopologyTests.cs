using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Topology.Tests;

/// <summary>A pool's CUDA-graph capture is what its vLLM is launched with, its simulation models and its local Workers run.</summary>
public class CudaGraphCaptureTopologyTests
{
    [Fact]
    public void A_pools_capture_size_reaches_the_vllm_args_the_simulator_and_the_local_workers()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2);
        pool.MaxCudaGraphCaptureSize = 2048;
        var spec = Samples.Single(pool);

        Assert.Contains("--max-cudagraph-capture-size=2048", VllmArgs.For(new ManifestContext(spec), pool, EngineRank.Single));
        Assert.Equal(2048, TopologyCluster.From(ResolvedTopology.Resolve(spec)).Colocated!.Engine.CudaGraphMaxBatch);
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.CudaGraphMaxBatch, "2048"), WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(pool)));
    }

    [Fact]
    public void Left_at_zero_vllm_and_the_models_keep_their_own_capture()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2);
        var spec = Samples.Single(pool);

        Assert.DoesNotContain(VllmArgs.For(new ManifestContext(spec), pool, EngineRank.Single), a => a.StartsWith("--max-cudagraph-capture-size", StringComparison.Ordinal));
        Assert.Null(ResolvedPool.Resolve(pool).Engine.CudaGraphMaxBatch);
        Assert.DoesNotContain(WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(pool)), e => e.Key == WorkerEnvironment.CudaGraphMaxBatch);
    }

    [Fact]
    public void A_negative_capture_size_is_a_preflight_error_naming_the_field_and_the_fix()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2);
        pool.MaxCudaGraphCaptureSize = -1;
        var finding = Assert.Single(TopologyPreflight.Run(Samples.Single(pool)).Findings, f => f.RuleId == "sizes");
        Assert.Equal(PreflightSeverity.Error, finding.Severity);
        Assert.Contains("MaxCudaGraphCaptureSize", finding.Message, StringComparison.Ordinal);
    }
}
