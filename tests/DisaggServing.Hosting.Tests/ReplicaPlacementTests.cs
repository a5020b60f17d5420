using Aspire.Hosting.ApplicationModel;

namespace DisaggServing.Hosting.Tests;

public class ReplicaPlacementTests
{
    [Fact]
    public void Two_tp4_prefill_replicas_share_a_p5_node()
    {
        var placements = ReplicaPlacement.Pack("prefill", 3, 4, 8);
        Assert.Equal(["prefill-node-0", "prefill-node-0", "prefill-node-1"], placements.Select(p => p.Node));
        Assert.Equal([0, 1, 2, 3], placements[0].GpuIndices);
        Assert.Equal([4, 5, 6, 7], placements[1].GpuIndices);
    }

    [Fact]
    public void Four_tp2_decode_replicas_share_a_p5_node()
    {
        var placements = ReplicaPlacement.Pack("decode", 5, 2, 8);
        Assert.Equal(4, placements.Count(p => p.Node == "decode-node-0"));
        Assert.Equal([6, 7], placements[3].GpuIndices);
        Assert.Equal("decode-node-1", placements[4].Node);
    }

    [Fact]
    public void A_pp2_tp8_replica_takes_two_whole_nodes()
    {
        var placements = ReplicaPlacement.Pack("glm", 2, 16, 8);
        Assert.Equal(["glm-node-0", "glm-node-2"], placements.Select(p => p.Node));
        Assert.Equal(8, placements[0].GpuIndices.Count);
    }
}
