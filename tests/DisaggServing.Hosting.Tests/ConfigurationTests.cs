using System.Text.Json;
using Aspire.Hosting;
using DisaggServing.Topology;

namespace DisaggServing.Hosting.Tests;

public class ConfigurationTests
{
    private static TopologySpec Bind(params string[] args) => DistributedApplication.CreateBuilder(args).BindTopology();

    [Fact]
    public void Without_settings_the_default_is_local_70b()
    {
        Assert.Equal(JsonSerializer.Serialize(ReferenceTopologies.Get("local-70b")), JsonSerializer.Serialize(Bind()));
    }

    [Theory]
    [InlineData("glm5-lws")]
    [InlineData("llama70b-pd")]
    [InlineData("glm5-pd-lws")]
    [InlineData("glm5-pd-ds")]
    [InlineData("local-70b")]
    public void Topology_Reference_selects_a_reference_topology(string name)
    {
        Assert.Equal(JsonSerializer.Serialize(ReferenceTopologies.Get(name)), JsonSerializer.Serialize(Bind($"--Topology:Reference={name}")));
    }

    [Fact]
    public void Command_line_settings_override_single_fields_of_the_reference()
    {
        var spec = Bind("--Topology:Pools:1:Replicas=3", "--Topology:Pools:0:KvCacheDtype=fp8", "--Topology:Local:SpeedFactor=20",
            "--Topology:Eks:NodeClassKind=Karpenter", "--Topology:Router:Port=18000");
        Assert.Equal(2, spec.Pools.Count);
        Assert.Equal(("prefill", 2, "fp8"), (spec.Pools[0].Name, spec.Pools[0].Replicas, spec.Pools[0].KvCacheDtype));
        Assert.Equal(("decode", 3, 2), (spec.Pools[1].Name, spec.Pools[1].Replicas, spec.Pools[1].TensorParallel));
        Assert.Equal(20, spec.Local.SpeedFactor);
        Assert.Equal(NodeClassKind.Karpenter, spec.Eks.NodeClassKind);
        Assert.Equal(18000, spec.Router.Port);
    }

    [Fact]
    public async Task Overrides_reach_the_resources()
    {
        var builder = DistributedApplication.CreateBuilder(["--Topology:Pools:1:Replicas=3", "--Topology:Local:KvLoadFailurePolicy=fail", "--Topology:KvTransfer:LeaseSeconds=10"]);
        builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(builder.BindTopology());
        var decode = builder.Resources.Single(r => r.Name == "decode-2");
        var env = await Env.Of(decode);
        Assert.Equal(("fail", "10"), (env["Worker__KvLoadFailurePolicy"], env["Worker__LeaseSeconds"]));
    }

    [Fact]
    public void Topology_File_binds_a_topology_file_without_the_default_reference_and_the_command_line_still_overrides_it()
    {
        var planned = ReferenceTopologies.Get("llama70b-pd-karpenter");
        planned.Pools.RemoveAt(0); // one pool: the default reference's two would merge into it
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.json");
        DisaggServing.Topology.Files.TopologyFile.Write(planned, path);
        try
        {
            Assert.Equal(JsonSerializer.Serialize(planned), JsonSerializer.Serialize(Bind($"--Topology:File={path}")));
            Assert.Equal(6, Bind($"--Topology:File={path}", "--Topology:Pools:0:Replicas=6").Pools[0].Replicas);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_topology_file_is_named()
    {
        var error = Assert.Throws<DistributedApplicationException>(() => Bind("--Topology:File=/nonexistent/plan.json"));
        Assert.Contains("Topology:File", error.Message);
        Assert.Contains("/nonexistent/plan.json", error.Message);
    }

    [Fact]
    public void An_empty_reference_binds_a_topology_from_configuration_alone()
    {
        var spec = Bind("--Topology:Reference=", "--Topology:Name=mine", "--Topology:Pools:0:Name=serve", "--Topology:Pools:0:Model=meta-llama/Llama-3.1-8B-Instruct");
        Assert.Equal("mine", spec.Name);
        Assert.Equal(PoolRole.Both, Assert.Single(spec.Pools).Role);
    }

    [Fact]
    public void An_unknown_reference_lists_the_known_ones()
    {
        var error = Assert.Throws<DistributedApplicationException>(() => Bind("--Topology:Reference=nope"));
        Assert.Contains("Topology:Reference: Unknown topology 'nope'. Known: glm5-lws, llama70b-pd, glm5-pd-lws, glm5-pd-ds, local-70b, llama70b-pd-karpenter.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_key_is_named_instead_of_ignored()
    {
        var error = Assert.Throws<DistributedApplicationException>(() => Bind("--Topology:Pools:1:Replica=3"));
        Assert.StartsWith("Topology:Pools:1:Replica: no such topology setting.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named()
    {
        var error = Assert.Throws<DistributedApplicationException>(() => Bind("--Topology:Pools:1:Replicas=many"));
        Assert.Contains("Topology:Pools:1:Replicas", error.Message, StringComparison.Ordinal);
    }
}
