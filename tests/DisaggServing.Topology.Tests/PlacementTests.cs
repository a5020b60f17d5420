using DisaggServing.Engine.Performance;
using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology.Tests;

public class PlacementTests
{
    [Fact]
    public void Two_prefill_pods_of_tp4_share_a_p5_node()
    {
        var placement = TopologyPlacement.Plan(Samples.SeedPacking());
        var prefill = placement.ForPool("prefill");
        Assert.Equal([0, 0], prefill.Select(r => r.Node));
        Assert.Equal([0, 1, 2, 3], prefill[0].GpuIndices);
        Assert.Equal([4, 5, 6, 7], prefill[1].GpuIndices);
    }

    [Fact]
    public void Four_decode_pods_of_tp2_share_a_p5_node_of_their_own()
    {
        var placement = TopologyPlacement.Plan(Samples.SeedPacking());
        var decode = placement.ForPool("decode");
        Assert.All(decode, r => Assert.Equal(1, r.Node));
        Assert.Equal([[0, 1], [2, 3], [4, 5], [6, 7]], decode.Select(r => r.GpuIndices.ToArray()));
        Assert.Equal(["seed-gpu-prefill", "seed-gpu-decode"], placement.Nodes.Select(n => n.Group));
    }

    [Fact]
    public void A_pp2_tp8_replica_is_a_group_of_two_whole_nodes()
    {
        var placement = TopologyPlacement.Plan(ReferenceTopologies.Get("glm5-lws"));
        var replica = Assert.Single(placement.Replicas);
        Assert.Equal([0, 1], replica.Nodes);
        Assert.All(replica.Pods, p => Assert.Equal(Enumerable.Range(0, 8), p.Gpus));
        Assert.Equal([0, 1], replica.Pods.Select(p => p.Rank));
        Assert.Equal(2, placement.Nodes.Count);
    }

    [Fact]
    public void Replicas_spill_onto_a_new_node_when_one_is_full()
    {
        var placement = TopologyPlacement.Plan(Samples.Single(Samples.Pool("decode", PoolRole.Both, 4, replicas: 3)));
        Assert.Equal([0, 0, 1], placement.Replicas.Select(r => r.Node));
        Assert.Equal("prefill-0", TopologyPlacement.Plan(Samples.SeedPacking()).Replicas[0].Name);
    }

    [Fact]
    public void Prefill_and_decode_on_their_own_nodepools_are_linked_over_efa()
    {
        var placement = TopologyPlacement.Plan(Samples.SeedPacking());
        var (p, d) = (placement.ForPool("prefill")[0], placement.ForPool("decode")[0]);
        Assert.Equal(LinkKind.Efa, TopologyPlacement.LinkBetween(p, d));
        Assert.True(placement.KvCrossesNodes);
    }

    [Fact]
    public void Shared_nodes_put_prefill_and_decode_on_one_node_linked_by_nvlink()
    {
        var placement = TopologyPlacement.Plan(Samples.Pd(4, 4), shareNodesAcrossRoles: true);
        var (p, d) = (placement.ForPool("prefill")[0], placement.ForPool("decode")[0]);
        Assert.Equal(p.Node, d.Node);
        Assert.Equal([4, 5, 6, 7], d.GpuIndices);
        Assert.Equal(LinkKind.NvLink, TopologyPlacement.LinkBetween(p, d));
        Assert.False(placement.KvCrossesNodes);
    }

    [Fact]
    public void Side_channel_ports_of_pods_on_one_node_do_not_overlap()
    {
        var placement = TopologyPlacement.Plan(Samples.SeedPacking(), shareNodesAcrossRoles: true);
        foreach (var node in placement.Nodes)
        {
            var ranges = placement.PodsOn(node.Index).Select(x => (x.Pod.SideChannelPort, End: x.Pod.SideChannelPort + x.Pod.Gpus.Count)).OrderBy(r => r.SideChannelPort).ToList();
            for (var i = 1; i < ranges.Count; i++) Assert.True(ranges[i].SideChannelPort >= ranges[i - 1].End);
        }

        Assert.Equal(5600, placement.Replicas[0].Pods[0].SideChannelPort);
        Assert.Equal(5604, placement.Replicas[1].Pods[0].SideChannelPort);
    }

    [Fact]
    public void A_pool_with_an_unknown_instance_type_is_left_out()
    {
        var spec = Samples.SeedPacking();
        spec.Pools[0].InstanceType = "p9.huge";
        Assert.DoesNotContain(TopologyPlacement.Plan(spec).Replicas, r => r.Pool == "prefill");
    }
}
