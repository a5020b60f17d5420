using DisaggServing.Engine.Performance;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Topology.Tests;

/// <summary>A topology pinned to a vLLM image is simulated as that release ran, in the simulator and the local Workers alike.</summary>
public class EngineReleaseTopologyTests
{
    private static TopologySpec Pd(string vllmVersion, string servingEngine = "vllm", EngineKind kind = EngineKind.Vllm) => new()
    {
        Name = "release",
        Engine = new EngineSettings { VllmVersion = vllmVersion, ServingEngine = servingEngine, Kind = kind },
        Pools =
        [
            Samples.Pool("prefill", PoolRole.Prefill, 2),
            Samples.Pool("decode", PoolRole.Decode, 2),
        ],
    };

    [Theory]
    [InlineData("v0.18.1", "vllm", EngineKind.Vllm, "0.18.1")]
    [InlineData("v0.11.0", "vllm", EngineKind.Vllm, "0.11.0")]
    [InlineData("latest", "vllm", EngineKind.Vllm, null)]
    [InlineData("v0.11.0", "sglang", EngineKind.Vllm, null)]
    [InlineData("v0.11.0", "vllm", EngineKind.Worker, null)]
    public void The_release_modelled_is_the_vllm_image_tags_where_the_pods_run_and_are_modelled_as_vllm(string tag, string serving, EngineKind kind, string? expected) =>
        Assert.Equal(expected, Pd(tag, serving, kind).Engine.ModelledRelease()?.ToString());

    [Fact]
    public void An_older_vllm_image_is_simulated_and_run_locally_with_that_releases_defaults()
    {
        var old = Pd("v0.11.0");
        var cluster = TopologyCluster.From(ResolvedTopology.Resolve(old));
        Assert.True(cluster.Prefill!.Engine.SynchronousScheduling);
        Assert.Equal(new EngineRelease(0, 11, 0), cluster.Decode!.Engine.Release);
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.EngineVersion, "0.11.0"), WorkerEnvironment.ForPool(old, ResolvedPool.Resolve(old.Pools[0])));

        // Today's pinned image changes nothing the engine runs.
        var current = TopologyCluster.From(ResolvedTopology.Resolve(Pd("v0.18.1")));
        Assert.False(current.Decode!.Engine.SynchronousScheduling);
        Assert.Equal(ReleaseDefaults.Current, current.Decode.Engine.ReleaseDefaults);
    }
}
