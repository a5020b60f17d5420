using Aspire.Hosting.ApplicationModel;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;
using DisaggServing.Testing;
using Xunit.Abstractions;

namespace DisaggServing.IntegrationTests;

/// <summary>The testing kit against the real AppHost. Its own app: this class drains a worker and stops the KV-transfer service.</summary>
public sealed class KitTests(AppFixture fixture, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private static readonly LoadSpec Load = new() { Workload = WorkloadSpec.Fixed(600, 8), Concurrency = 4, Requests = 16, Slo = new SloSpec(60_000, 10_000) };

    [Fact]
    public async Task Faults_take_effect_by_replica_and_by_virtual_node_and_no_request_is_lost()
    {
        var kit = fixture.Kit;
        output.WriteLine($"kit start to serving (2 prefill + 2 decode, KV-transfer, router): {kit.StartedIn.TotalSeconds:F1} s");

        var report = (await kit.RunLoadAsync(Load)).AssertNoRequestLost().AssertSloAttainment(1);
        Assert.Equal((16, 16, 16L), (report.Requests, report.Completed, report.TtftMs.Count));
        Assert.True(report.ItlMs.Count > 0 && report.TpotMs.P50 > 0);

        // A virtual node names every replica placed on it.
        var node = (await kit.StateOfAsync("decode-0")).GetProperty("node").GetString()!;
        Assert.Contains("decode-0", kit.Faults.Resolve(node));
        await kit.Faults.SlowKvLinkAsync(node, 10);
        foreach (var worker in kit.Faults.Resolve(node))
            Assert.Equal(10, (await kit.StateOfAsync(worker)).GetProperty("link_slowdown").GetDouble());
        await kit.Faults.RestoreKvLinkAsync(node);
        Assert.Equal(1, (await kit.StateOfAsync("decode-0")).GetProperty("link_slowdown").GetDouble());

        // Both decoders fail their next KV pull: the requests recompute and complete, and the faults are used up.
        await kit.Faults.FailNextKvTransferAsync("decode-0");
        await kit.Faults.FailNextKvTransferAsync("decode-1");
        Assert.True((await kit.StateOfAsync("decode-1")).GetProperty("fail_next_kv_transfer").GetBoolean());
        (await kit.RunLoadAsync(Load with { Seed = 1 })).AssertNoRequestLost();
        var armed = new List<bool>();
        foreach (var decoder in new[] { "decode-0", "decode-1" })
            armed.Add((await kit.StateOfAsync(decoder)).GetProperty("fail_next_kv_transfer").GetBoolean());
        Assert.Contains(false, armed);

        // SIGTERM: the worker exits; the other prefill worker takes the traffic.
        await kit.Faults.DrainAsync("prefill-1");
        Assert.Contains(kit.StateText("prefill-1"), KnownResourceStates.TerminalStates);
        (await kit.RunLoadAsync(Load with { Seed = 2 })).AssertNoRequestLost();
        await kit.AssertNoKvLeftAsync();

        // The KV-transfer service stops through Aspire's command, and starts again.
        await kit.Faults.StopKvTransferAsync();
        Assert.Contains(kit.StateText("kvtransfer"), KnownResourceStates.TerminalStates);
        await kit.Faults.StartKvTransferAsync();
        Assert.Equal(KnownResourceStates.Running, kit.StateText("kvtransfer"));
    }

    [Fact]
    public async Task An_unknown_target_lists_the_replicas_and_nodes()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Kit.Faults.CrashAsync("prefill-9"));

        Assert.Contains("'prefill-9' is neither a worker replica (prefill-0, prefill-1, decode-0, decode-1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("-node-", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Start failures, each its own (short-lived) AppHost.</summary>
public sealed class KitStartTests
{
    [Fact]
    public async Task A_topology_the_apphost_refuses_fails_the_start_with_the_settings_given()
    {
        var options = AppFixture.Options();
        options.Settings["Topology:Pools:0:TensorParallel"] = "3";

        var error = await Assert.ThrowsAsync<DisaggStartException>(() => DisaggApp.StartAsync<Projects.DisaggServing_AppHost>(options));

        Assert.Contains("stopped before building its model", error.Message, StringComparison.Ordinal);
        Assert.Contains("--Topology:Pools:0:TensorParallel=3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deterministic_run_reads_the_apphosts_topology_with_overrides()
    {
        var load = new LoadSpec { Workload = WorkloadSpec.Fixed(1024, 64), Rate = 20, Requests = 500 };
        var settings = new Dictionary<string, string> { ["Topology:Pools:1:Replicas"] = "4" };

        var topology = await AppHostTopology.ReadAsync<Projects.DisaggServing_AppHost>(settings);
        var bigger = await DisaggSimulation.RunAsync<Projects.DisaggServing_AppHost>(load, settings);

        Assert.Equal(("local-70b", 4), (topology.Name, topology.Pools[1].Replicas));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(DisaggSimulation.Run(topology, load)), System.Text.Json.JsonSerializer.Serialize(bigger));
    }
}
