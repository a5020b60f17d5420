using System.Text.Json;
using DisaggServing.Engine;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Topology.Files;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Topology.Tests;

public class TopologyFileTests
{
    [Theory]
    [InlineData("llama70b-pd-karpenter", ".json")]
    [InlineData("llama70b-pd-karpenter", ".yaml")]
    [InlineData("glm5-lws", ".json")]
    [InlineData("glm5-lws", ".yml")]
    public void A_topology_written_to_a_file_loads_back_setting_for_setting(string name, string extension)
    {
        var reference = ReferenceTopologies.Get(name);
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}{extension}");
        try
        {
            TopologyFile.Write(reference, path);
            Assert.Equal(JsonSerializer.Serialize(reference), JsonSerializer.Serialize(TopologyFileLoader.Load(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_misspelt_setting_in_a_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "Name": "t", "Pools": [ { "Name": "engine", "Replicaz": 2 } ] }""");
        try
        {
            var error = Assert.Throws<InputException>(() => TopologyFileLoader.Load(path));
            Assert.Contains("Pools:0:Replicaz", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ Pools: ");
        try
        {
            Assert.Contains(path, Assert.Throws<InputException>(() => TopologyFileLoader.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_topology_simulates_with_its_pools_its_placement_and_the_routers_decode_only_threshold()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Router.DecodeOnlyThresholdTokens = 512;
        var cluster = TopologyCluster.From(ResolvedTopology.Resolve(spec));
        Assert.Equal((2, 4), (cluster.Prefill!.Replicas, cluster.Prefill.Engine.TensorParallel));
        Assert.Equal((4, 4), (cluster.Decode!.Replicas, cluster.Decode.Engine.TensorParallel));
        Assert.Equal(512, cluster.DecodeOnlyThresholdTokens);
        // Per-role NodePools: 2 prefill pods of TP=4 on one node, 4 decode pods on two others.
        Assert.Equal([0, 0], cluster.Prefill.Nodes);
        Assert.Equal([1, 1, 2, 2], cluster.Decode.Nodes);
    }

    [Fact]
    public void The_topologys_scorer_weights_are_the_simulated_routers_and_none_means_the_routers_defaults()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        Assert.Same(RoutingProfiles.PrefixAware, TopologyCluster.From(ResolvedTopology.Resolve(spec)).Routing);

        spec.Router.Scorers = new RouterScorerWeights { DecodePrefixCache = 0, PrefillPrefixCache = 0, PrefillLeastLoad = 3 };
        var routing = TopologyCluster.From(ResolvedTopology.Resolve(spec)).Routing;
        Assert.Equal([("prefix-cache", 0.0), ("least-load", 1.0)], routing.Decode.Scorers.Select(s => (s.Name, s.Weight)));
        Assert.Equal([("prefix-cache", 0.0), ("least-load", 3.0)], routing.Prefill.Scorers.Select(s => (s.Name, s.Weight)));

        spec.Router.Scorers.DecodeLeastLoad = -1;
        var error = Assert.Throws<InputException>(() => TopologyCluster.From(ResolvedTopology.Resolve(spec)));
        Assert.Contains("Topology:Router:Scorers:DecodeLeastLoad", error.Message);
    }

    [Fact]
    public void A_topology_with_two_pools_of_one_role_is_refused_by_the_simulator()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Pools.Add(new TopologyPool { Name = "decode-b", Role = PoolRole.Decode, Model = spec.Pools[1].Model, TensorParallel = 4 });
        Assert.Contains("decode pools", Assert.Throws<InputException>(() => TopologyCluster.From(ResolvedTopology.Resolve(spec))).Message);
    }
}
