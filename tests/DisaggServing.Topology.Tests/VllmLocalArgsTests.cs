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
    public void A_checkpoint_whose_config_is_its_own_code_is_served_trusting_it()
    {
        TopologySpec Colocated(string model) => new() { Name = "t", Namespace = "t", Pools = [Samples.Pool("both", PoolRole.Both, 2, model: model)] };
        var nas = Colocated("nvidia/Llama-3_3-Nemotron-Super-49B-v1-FP8");
        var llama = Colocated(Samples.Llama70B);

        Assert.Contains("--trust-remote-code", VllmArgs.ForLocal(nas, nas.Pools[0], 8000));
        Assert.DoesNotContain("--trust-remote-code", VllmArgs.ForLocal(llama, llama.Pools[0], 8000));
    }

    [Fact]
    public void DeepSeek_V4_is_served_as_vLLMs_recipe_serves_it_an_fp8_cache_in_256_token_blocks_trusting_its_code()
    {
        var spec = new TopologySpec { Name = "t", Namespace = "t", Pools = [Samples.Pool("both", PoolRole.Both, 8, model: "deepseek-ai/DeepSeek-V4-Flash")] };
        var args = VllmArgs.ForLocal(spec, spec.Pools[0], 8000);

        Assert.Contains("--kv-cache-dtype=fp8", args);
        Assert.Contains("--block-size=256", args);
        Assert.Contains("--trust-remote-code", args);
        var llama = new TopologySpec { Name = "t", Namespace = "t", Pools = [Samples.Pool("both", PoolRole.Both, 8)] };
        Assert.DoesNotContain(VllmArgs.ForLocal(llama, llama.Pools[0], 8000), a => a.StartsWith("--block-size", StringComparison.Ordinal));
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
    public void Each_rank_of_a_local_group_runs_its_published_containers_arguments_with_the_leader_and_rank_written_out()
    {
        var spec = ReferenceTopologies.Get("glm5-lws");
        var pool = spec.Pools[0];
        var context = new ManifestContext(spec);
        var resolved = ResolvedTopology.Resolve(spec);
        var leader = VllmArgs.ForLocalRank(resolved, pool, 0, port: 8123, kvEventsPort: 8124, "127.0.0.1", masterPort: 9100);
        var worker = VllmArgs.ForLocalRank(resolved, pool, 1, port: 8123, kvEventsPort: 8124, "127.0.0.1", masterPort: 9100);

        // What LeaderWorkerSet's pods run, with $(LWS_…) expanded as Kubernetes would and the model by id (no pod volume).
        string Local(string a) => a switch
        {
            "--port=8000" => "--port=8123",
            "--master-addr=$(LWS_LEADER_ADDRESS)" => "--master-addr=127.0.0.1",
            "--node-rank=$(LWS_WORKER_INDEX)" => "--node-rank=1",
            _ when a.StartsWith("--master-port=", StringComparison.Ordinal) => "--master-port=9100",
            _ when a.StartsWith("--kv-events-config=", StringComparison.Ordinal) => a.Replace("tcp://*:5557", "tcp://*:8124", StringComparison.Ordinal),
            _ => a,
        };
        static bool PodOnly(string a) => a.StartsWith("--download-dir", StringComparison.Ordinal) || a.StartsWith("--load-format", StringComparison.Ordinal) || a.StartsWith("--served-model-name", StringComparison.Ordinal);
        var publishedLeader = VllmArgs.For(context, pool, EngineRank.Leader).Skip(1).Where(a => !PodOnly(a)).Select(Local);
        var publishedWorker = VllmArgs.For(context, pool, EngineRank.Worker).Skip(1).Where(a => !PodOnly(a)).Select(Local);
        Assert.Equal([pool.Model, .. publishedLeader], leader);
        Assert.Equal([pool.Model, .. publishedWorker], worker);
        Assert.Contains("--node-rank=0", leader);
        Assert.Contains("--headless", worker);
        Assert.DoesNotContain("--headless", leader);
        // Only the leader schedules, so only it publishes KV events.
        Assert.DoesNotContain(worker, a => a.StartsWith("--kv-events-config", StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => VllmArgs.ForLocalRank(resolved, pool, 2, 8123, null, "127.0.0.1", 9100));
        Assert.Throws<ArgumentOutOfRangeException>(() => VllmArgs.ForLocalRank(resolved, pool, 1, 8123, null, "127.0.0.1", 0));
        var local = ReferenceTopologies.Get("local-70b");
        Assert.Throws<ArgumentException>(() => VllmArgs.ForLocalRank(ResolvedTopology.Resolve(local), local.Pools[0], 0, 8123, null, "127.0.0.1", 9100));
    }

    [Fact]
    public void A_rank_gets_the_three_variables_leaderworkerset_injects_and_no_others()
    {
        Assert.Equal(
            new[] { KeyValuePair.Create("LWS_LEADER_ADDRESS", "127.0.0.1"), KeyValuePair.Create("LWS_GROUP_SIZE", "2"), KeyValuePair.Create("LWS_WORKER_INDEX", "1") },
            WorkerEnvironment.ForRank("127.0.0.1", 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerEnvironment.ForRank("127.0.0.1", 2, 2));
        Assert.Throws<ArgumentException>(() => WorkerEnvironment.ForRank(" ", 2, 0));
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
