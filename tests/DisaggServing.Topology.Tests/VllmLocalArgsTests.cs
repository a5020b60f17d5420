using DisaggServing.Topology.Manifests;

namespace DisaggServing.Topology.Tests;

public class VllmLocalArgsTests
{
    [Fact]
    public void A_local_engine_runs_its_pods_arguments_on_its_own_port_with_nixl_over_ucx_and_kv_events()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd"); // LIBFABRIC for EFA on EKS
        var pool = spec.Pools[0];
        var published = VllmArgs.For(new ManifestContext(spec), pool, EngineRank.Single);
        var local = VllmArgs.ForLocal(spec, pool, port: 8123, kvEventsPort: 8124);

        Assert.Equal(
            published.Select(a => a switch
            {
                "--port=8000" => "--port=8123",
                _ when a.StartsWith("--kv-transfer-config=", StringComparison.Ordinal) => a.Replace("LIBFABRIC", "UCX", StringComparison.Ordinal),
                _ when a.StartsWith("--kv-events-config=", StringComparison.Ordinal) => a.Replace("tcp://*:5557", "tcp://*:8124", StringComparison.Ordinal),
                _ => a,
            }),
            local);
        Assert.Contains("""--kv-transfer-config={"kv_connector":"NixlConnector","kv_role":"kv_both","kv_connector_extra_config":{"backends":["UCX"]}}""", local);
        Assert.DoesNotContain(VllmArgs.ForLocal(spec, pool, 8123), a => a.StartsWith("--kv-events-config", StringComparison.Ordinal));
    }

    [Fact]
    public void A_colocated_engine_gets_no_kv_transfer_config()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Pools.RemoveAt(0);
        spec.Pools[0].Role = PoolRole.Both;
        Assert.DoesNotContain(VllmArgs.ForLocal(spec, spec.Pools[0], 8000), a => a.StartsWith("--kv-transfer-config", StringComparison.Ordinal));
    }

    [Fact]
    public void A_multi_node_pool_has_no_single_process_form_and_ports_are_checked()
    {
        var spec = ReferenceTopologies.Get("glm5-lws");
        Assert.Throws<ArgumentException>(() => VllmArgs.ForLocal(spec, spec.Pools[0], 8000));
        var local = ReferenceTopologies.Get("local-70b");
        Assert.Throws<ArgumentOutOfRangeException>(() => VllmArgs.ForLocal(local, local.Pools[0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VllmArgs.ForLocal(local, local.Pools[0], 8000, 70000));
    }
}
