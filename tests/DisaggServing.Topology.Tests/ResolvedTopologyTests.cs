using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Tests;

public class ResolvedTopologyTests
{
    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void Preflight_and_the_manifests_read_the_one_resolved_topology_as_they_read_the_spec(string name)
    {
        var spec = ReferenceTopologies.Get(name);
        var resolved = ResolvedTopology.Resolve(spec);
        Assert.Equal(ManifestBuilder.Build(spec).Files.Select(f => f.Yaml), ManifestBuilder.Build(resolved).Files.Select(f => f.Yaml));
        Assert.Equal(TopologyPreflight.Run(spec).Findings.Select(f => f.ToString()), TopologyPreflight.Run(resolved).Findings.Select(f => f.ToString()));
        Assert.Same(resolved, new PreflightContext(resolved).Topology);
    }

    [Fact]
    public void Locally_roles_keep_their_own_nodes_unless_asked_to_share_them()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        var apart = ResolvedTopology.Resolve(spec);
        Assert.Same(apart.Placement, apart.LocalPlacement);
        Assert.NotEqual(apart.Placement.Replicas[0].Node, apart.Placement.Replicas[^1].Node);

        spec.Local.ShareNodesAcrossRoles = true;
        var shared = ResolvedTopology.Resolve(spec);
        Assert.NotSame(shared.Placement, shared.LocalPlacement);
        Assert.All(shared.LocalPlacement.Replicas, r => Assert.Equal(0, r.Node)); // 4 replicas of TP=2 fill one 8-GPU node
        Assert.Equal(shared.Placement.Replicas.Select(r => r.Node), apart.Placement.Replicas.Select(r => r.Node)); // EKS placement unchanged
    }
}
