using Aspire.Hosting;
using DisaggServing.Topology;

namespace DisaggServing.Hosting.Tests;

public class PreflightAtBuildTests
{
    private static DistributedApplicationException BuildFails(TopologySpec topology) =>
        Assert.Throws<DistributedApplicationException>(() =>
            DistributedApplication.CreateBuilder().AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(topology));

    [Fact]
    public void An_invalid_tp_pairing_fails_the_model_naming_the_pool_the_rule_and_the_fix()
    {
        // Prefill TP=8 over Llama-3.3-70B's 8 KV heads replicates them, and NIXL cannot then serve a TP=4 decode.
        var topology = ReferenceTopologies.Get("llama70b-pd");
        topology.Pools[0].TensorParallel = 8;
        var error = BuildFails(topology);
        Assert.Contains("Topology 'llama70b-pd' failed preflight", error.Message, StringComparison.Ordinal);
        Assert.Contains("error [nixl-tp-pairing] pool 'decode':", error.Message, StringComparison.Ordinal);
        Assert.Contains("give decode a TP of at least 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_does_not_fit_its_gpus_fails_the_model()
    {
        var topology = ReferenceTopologies.Get("glm5-lws");
        topology.Pools[0].PipelineParallel = 1;
        var error = BuildFails(topology);
        Assert.Contains("[model-fits-memory] pool 'vllm-glm5-fp8'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Model", "nope/nope", "[catalog] pool 'prefill'")]
    [InlineData("TensorParallel", "3", "[tp-divides-heads] pool 'prefill'")]
    [InlineData("Replicas", "0", "pool 'prefill'")]
    public void Bad_pool_settings_fail_the_model_with_the_pool_named(string field, string value, string expected)
    {
        var topology = ReferenceTopologies.Get("local-70b");
        var pool = topology.Pools[0];
        typeof(TopologyPool).GetProperty(field)!.SetValue(pool, field == "Model" ? value : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(expected, BuildFails(topology).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_eks_environment_checks_at_model_build_time_too()
    {
        var topology = ReferenceTopologies.Get("llama70b-pd");
        topology.Pools[0].InstanceType = "p9.huge";
        var error = Assert.Throws<DistributedApplicationException>(() => DistributedApplication.CreateBuilder().AddEksEnvironment("eks", topology));
        Assert.Contains("[catalog] pool 'prefill'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 1.0, "Topology:Local:KvPayloadScale")]
    [InlineData(1.0 / 2048, 0.0, "Topology:Local:SpeedFactor")]
    public void Bad_local_knobs_are_named(double scale, double speed, string key)
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Local.KvPayloadScale = scale;
        topology.Local.SpeedFactor = speed;
        Assert.StartsWith(key, BuildFails(topology).Message, StringComparison.Ordinal);
    }
}
