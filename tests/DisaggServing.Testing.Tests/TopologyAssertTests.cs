using DisaggServing.Topology;

namespace DisaggServing.Testing.Tests;

public sealed class TopologyAssertTests
{
    [Fact]
    public void The_committed_reference_manifests_match_what_the_topology_publishes()
    {
        TopologyAssert.ManifestsMatch(ReferenceTopologies.Get("local-70b"), Repo.File("manifests", "local-70b"));
    }

    [Fact]
    public void A_changed_topology_fails_naming_the_file_and_its_first_differing_line()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Pools[1].Replicas = 3;

        var error = Assert.Throws<DisaggAssertionException>(() => TopologyAssert.ManifestsMatch(topology, Repo.File("manifests", "local-70b")));

        Assert.Contains("The manifests of topology 'local-70b' differ from", error.Message, StringComparison.Ordinal);
        Assert.Contains("decode.yaml: line", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("prefill.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_says_how_to_create_it()
    {
        var error = Assert.Throws<DisaggAssertionException>(() => TopologyAssert.ManifestsMatch(ReferenceTopologies.Get("local-70b"), Repo.File("manifests", "no-such-topology")));

        Assert.Contains("does not exist; publish the topology into it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_topology_passes_preflight_and_a_broken_one_fails_with_its_findings()
    {
        TopologyAssert.PreflightClean(ReferenceTopologies.Get("local-70b"));
        var broken = ReferenceTopologies.Get("local-70b");
        broken.Pools[0].TensorParallel = 3;

        var error = Assert.Throws<DisaggAssertionException>(() => TopologyAssert.PreflightClean(broken));

        Assert.StartsWith("Preflight of topology 'local-70b' found", error.Message, StringComparison.Ordinal);
        Assert.Contains("prefill", error.Message, StringComparison.Ordinal);
    }
}
