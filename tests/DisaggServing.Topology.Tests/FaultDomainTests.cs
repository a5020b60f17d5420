using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology.Tests;

/// <summary>The fault domains behind the dashboard's "Fail node" and "Fail zone" commands.</summary>
public class FaultDomainTests
{
    [Fact]
    public void Failing_a_node_takes_every_replica_with_a_pod_on_it_and_no_other()
    {
        var placement = TopologyPlacement.Plan(Samples.SeedPacking());
        Assert.Equal(["prefill-0", "prefill-1"], FaultDomains.ReplicasOnNode(placement, 0));
        Assert.Equal(["decode-0", "decode-1", "decode-2", "decode-3"], FaultDomains.ReplicasOnNode(placement, 1));
        Assert.Equal("seed-gpu-decode-node-1", FaultDomains.NodeName(placement, 1));
    }

    [Fact]
    public void Nodes_spread_over_their_node_pools_zones_and_a_pool_without_zones_is_one_zone()
    {
        var spec = Samples.SeedPacking();
        spec.Eks.NodePools = [new NodePoolSettings { Name = "seed-gpu-decode", Role = PoolRole.Decode, AvailabilityZones = ["us-east-2a", "us-east-2b"] }];
        spec = spec.WithPools([.. spec.Pools.Select(p => p.Role == PoolRole.Decode ? p.WithReplicas(8) : p)]);
        var placement = TopologyPlacement.Plan(spec);
        var decodeNodes = Enumerable.Range(0, placement.Nodes.Count).Where(n => placement.Nodes[n].Group == "seed-gpu-decode").ToList();

        Assert.Equal(["us-east-2a", "us-east-2b"], decodeNodes.Select(n => FaultDomains.ZoneOf(spec, placement, n)));
        Assert.Equal(["decode-4", "decode-5", "decode-6", "decode-7"], FaultDomains.ReplicasInZone(spec, placement, "us-east-2b"));
        Assert.Equal(FaultDomains.AnyZone, FaultDomains.ZoneOf(spec, placement, 0));
        Assert.Equal(["prefill-0", "prefill-1"], FaultDomains.ReplicasInZone(spec, placement, FaultDomains.AnyZone));
    }
}
