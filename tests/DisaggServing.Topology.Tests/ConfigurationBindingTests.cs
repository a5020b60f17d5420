using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Topology.Tests;

public class ConfigurationBindingTests
{
    private static TopologySpec Bind(TopologySpec reference, params string[] commandLine)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TopologyConfiguration.ToKeyValues(reference))
            .AddCommandLine(commandLine)
            .Build();
        var spec = new TopologySpec();
        configuration.GetSection(TopologyConfiguration.SectionName).Bind(spec);
        return spec;
    }

    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void A_reference_topology_round_trips_through_configuration(string name)
    {
        var reference = ReferenceTopologies.Get(name);
        Assert.Equal(JsonSerializer.Serialize(reference), JsonSerializer.Serialize(Bind(reference)));
    }

    [Fact]
    public void Command_line_overrides_replace_single_pool_fields()
    {
        var spec = Bind(ReferenceTopologies.Get("llama70b-pd"), "--Topology:Pools:1:Replicas=6", "--Topology:Pools:0:TensorParallel=2",
            "--Topology:Engine:VllmVersion=v0.19.0", "--Topology:KvTransfer:NixlBackend=ucx", "--Topology:Eks:NodeClassKind=Karpenter");
        Assert.Equal(2, spec.Pools.Count);
        Assert.Equal(6, spec.Pools[1].Replicas);
        Assert.Equal(2, spec.Pools[0].TensorParallel);
        Assert.Equal("decode", spec.Pools[1].Name);
        Assert.Equal("vllm/vllm-openai:v0.19.0", spec.Engine.DefaultImage);
        Assert.Equal(NixlBackend.Ucx, spec.KvTransfer.NixlBackend);
        Assert.Equal(NodeClassKind.Karpenter, spec.Eks.NodeClassKind);
    }

    [Fact]
    public void Cluster_object_settings_bind_from_configuration()
    {
        var spec = Bind(ReferenceTopologies.Get("llama70b-pd"), "--Topology:Pools:1:Autoscaling:MaxReplicas=8", "--Topology:Pools:1:Autoscaling:MinReplicas=4",
            "--Topology:Eks:NodeClassKind=Karpenter", "--Topology:Eks:ClusterName=prod", "--Topology:Eks:Registry=123456789012.dkr.ecr.us-west-2.amazonaws.com",
            "--Topology:Eks:NodeClass:SubnetIds:0=subnet-1", "--Topology:Eks:NodeClass:CapacityReservationTags:purpose=inference",
            "--Topology:Eks:NodePools:0:Role=Decode", "--Topology:Eks:NodePools:0:MaintenanceWindow=0 3 * * wed",
            "--Topology:Eks:Prometheus:Address=http://prometheus.obs.svc:9090", "--Topology:Router:ApiKeysSecret=keys", "--Topology:Engine:ApiKeySecret=vllm-key");
        Assert.Equal((4, 8), (spec.Pools[1].Autoscaling.MinReplicas, spec.Pools[1].Autoscaling.MaxReplicas));
        Assert.Equal(("prod", "123456789012.dkr.ecr.us-west-2.amazonaws.com"), (spec.Eks.ClusterName, spec.Eks.Registry));
        Assert.Equal(["subnet-1"], spec.Eks.NodeClass.SubnetIds);
        Assert.Equal("inference", spec.Eks.NodeClass.CapacityReservationTags["purpose"]);
        Assert.Equal("0 3 * * wed", spec.Eks.NodePools[0].MaintenanceWindow);
        Assert.Equal("http://prometheus.obs.svc:9090", spec.Eks.Prometheus.Address);
        Assert.Equal(("keys", "vllm-key"), (spec.Router.ApiKeysSecret, spec.Engine.ApiKeySecret));
    }

    [Fact]
    public void A_topology_binds_from_appsettings_shaped_configuration_alone()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Topology:Name"] = "mine",
            ["Topology:Pools:0:Name"] = "serve",
            ["Topology:Pools:0:Role"] = "both",
            ["Topology:Pools:0:Model"] = Samples.Llama8B,
            ["Topology:Pools:0:Env:VLLM_LOGGING_LEVEL"] = "DEBUG",
            ["Topology:Eks:NodePools:0:Role"] = "Both",
            ["Topology:Eks:NodePools:0:AvailabilityZones:0"] = "us-west-2c",
        }).Build();
        var spec = new TopologySpec();
        configuration.GetSection("Topology").Bind(spec);
        Assert.Equal(PoolRole.Both, spec.Pools[0].Role);
        Assert.Equal(1, spec.Pools[0].TensorParallel);
        Assert.Equal("DEBUG", spec.Pools[0].Env["VLLM_LOGGING_LEVEL"]);
        Assert.Equal(["us-west-2c"], spec.Eks.NodePools[0].AvailabilityZones);
        Assert.Empty(Preflight.TopologyPreflight.Run(spec).Errors);
    }
}
