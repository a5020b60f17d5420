using DisaggServing.Topology.Manifests;

namespace DisaggServing.Topology.Tests;

public class RouterFlowControlTests
{
    [Fact]
    public void The_router_admits_per_decode_engine_the_largest_max_num_seqs_of_the_pools_that_decode()
    {
        var spec = Samples.Pd(4, 2);
        spec.Pools[0].MaxNumSeqs = 2048;
        spec.Pools[1].MaxNumSeqs = 64;
        var colocated = Samples.Pd(4, 2).Pools[1];
        colocated.Name = "both";
        colocated.Role = PoolRole.Both;
        colocated.MaxNumSeqs = 512;
        spec.Pools.Add(colocated);

        Assert.Equal(512, RouterEnvironment.PerEngineConcurrency(spec));
        var router = ControlPlaneBuilder.RouterDeployment(new ManifestContext(spec));
        var env = Assert.Single(router.Spec.Template.Spec.Containers).Env;
        Assert.Equal("512", env.Single(e => e.Name == RouterEnvironment.FlowPerEngineConcurrency).Value);
        Assert.Equal("Router__FlowControl__PerEngineConcurrency", RouterEnvironment.FlowPerEngineConcurrency);
    }

    [Fact]
    public void A_topology_with_only_prefill_pools_leaves_the_router_default()
    {
        var spec = Samples.Single(Samples.Pd(4, 2).Pools[0]);
        Assert.Null(RouterEnvironment.PerEngineConcurrency(spec));
    }
}
