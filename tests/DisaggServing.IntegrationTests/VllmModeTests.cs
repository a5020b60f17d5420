using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Protocol;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DisaggServing.IntegrationTests;

/// <summary>The whole app on real-engine mode, against stand-ins for vllm and nvidia-smi (no GPU needed).</summary>
public sealed class VllmModeTests(VllmAppFixture fixture, ITestOutputHelper output) : IClassFixture<VllmAppFixture>
{
    private static TopologySpec Topology()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Local.Engine = LocalEngine.Vllm;
        return spec;
    }

    [Fact]
    public void Each_replica_runs_vllm_serve_with_the_manifests_arguments_on_its_own_ports()
    {
        var spec = Topology();
        foreach (var engine in VllmAppFixture.Engines)
        {
            var port = fixture.PortOf(engine);
            var argv = fixture.StandIns.Launch(port).GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();
            var pool = spec.FindPool(engine[..engine.IndexOf('-')])!;
            var expected = VllmArgs.ForLocal(spec, pool, port, fixture.PortOf(engine, KnownEndpoints.KvEvents));
            Assert.Equal(["serve", .. expected], argv);
            Assert.Equal("meta-llama/Llama-3.3-70B-Instruct", argv[1]);
            Assert.Contains($"--port={port}", argv);
            Assert.Contains("--tensor-parallel-size=2", argv);
            Assert.Contains("""--kv-transfer-config={"kv_connector":"NixlConnector","kv_role":"kv_both","kv_connector_extra_config":{"backends":["UCX"]}}""", argv);
            Assert.Contains(argv, a => a.StartsWith("--kv-events-config=", StringComparison.Ordinal) && a.Contains($"tcp://*:{fixture.PortOf(engine, KnownEndpoints.KvEvents)}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_engine_has_its_own_gpus_and_its_own_nixl_side_channel()
    {
        var gpus = new List<int>();
        var sideChannels = new List<(int First, int Last)>();
        foreach (var engine in VllmAppFixture.Engines)
        {
            var env = fixture.StandIns.Launch(fixture.PortOf(engine)).GetProperty("env");
            var devices = env.GetProperty("CUDA_VISIBLE_DEVICES").GetString()!.Split(',').Select(int.Parse).ToList();
            Assert.Equal(2, devices.Count); // TP=2
            gpus.AddRange(devices);
            Assert.Equal("PCI_BUS_ID", env.GetProperty("CUDA_DEVICE_ORDER").GetString());
            Assert.Equal("127.0.0.1", env.GetProperty("VLLM_NIXL_SIDE_CHANNEL_HOST").GetString());
            var port = int.Parse(env.GetProperty("VLLM_NIXL_SIDE_CHANNEL_PORT").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            sideChannels.Add((port, port + devices.Count - 1)); // vLLM listens on the port plus each TP rank
        }

        Assert.Equal(Enumerable.Range(0, 8), gpus.Order());
        Assert.All(sideChannels, a => Assert.DoesNotContain(sideChannels, b => a != b && a.First <= b.Last && b.First <= a.Last));
    }

    [Fact]
    public async Task A_pd_request_goes_through_the_engines_as_vllms_proxy_protocol()
    {
        var marker = "vllm-mode-" + Guid.NewGuid().ToString("N");
        using var response = await fixture.Router.PostAsJsonAsync("/v1/completions",
            new { model = fixture.Model, prompt = marker + " " + Prompts.Long(901), max_tokens = 6 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pd", response.Headers.GetValues(HeaderNames.Route).Single());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("kv_transfer_params", out _));

        var prefillCall = Assert.Single(Calls(marker, "prefill-0", "prefill-1"));
        var kv = prefillCall.Body.GetProperty("kv_transfer_params");
        Assert.True(kv.GetProperty("do_remote_decode").GetBoolean());
        Assert.False(kv.GetProperty("do_remote_prefill").GetBoolean());
        Assert.Equal(1, prefillCall.Body.GetProperty("max_tokens").GetInt32());
        Assert.False(prefillCall.Body.GetProperty("stream").GetBoolean());

        var decodeCall = Assert.Single(Calls(marker, "decode-0", "decode-1"));
        var handed = decodeCall.Body.GetProperty("kv_transfer_params");
        Assert.True(handed.GetProperty("do_remote_prefill").GetBoolean());
        Assert.Equal(6, decodeCall.Body.GetProperty("max_tokens").GetInt32());
        // The prefill's own kv_transfer_params, verbatim: its engine id, its NIXL side channel, its blocks.
        var prefillPort = fixture.PortOf(prefillCall.Engine);
        var prefillEnv = fixture.StandIns.Launch(prefillPort).GetProperty("env");
        Assert.Equal($"vllm-{prefillPort}", handed.GetProperty("remote_engine_id").GetString());
        Assert.Equal("127.0.0.1", handed.GetProperty("remote_host").GetString());
        Assert.Equal(prefillEnv.GetProperty("VLLM_NIXL_SIDE_CHANNEL_PORT").GetString(), handed.GetProperty("remote_port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(handed.GetProperty("remote_block_ids")[0].GetArrayLength() > 0);
    }

    [Fact]
    public void The_model_load_shows_as_a_state_and_readiness_waits_for_the_model()
    {
        output.WriteLine($"start to healthy (4 engines with a 2 s model load, KV-transfer, router): {fixture.StartedIn.TotalSeconds:F1} s");
        Assert.True(fixture.SawLoadingState, "prefill-0 should show 'Loading model' while its vLLM loads");
        foreach (var engine in VllmAppFixture.Engines)
        {
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(engine, out var state));
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
            Assert.Contains(state.Snapshot.Properties, p => p.Name == "disagg.model_load_seconds");
            Assert.Contains(state.Snapshot.Urls, u => u.Url.EndsWith("/metrics", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_control_plane_is_wired_for_engines_that_do_not_register()
    {
        var kv = fixture.DashboardEnv("kvtransfer");
        for (var i = 0; i < VllmAppFixture.Engines.Length; i++)
        {
            var engine = VllmAppFixture.Engines[i];
            Assert.Equal($"127.0.0.1:{fixture.PortOf(engine)}", kv[$"KvTransfer__KvEvents__Publishers__{i}__EngineId"]);
            Assert.Equal($"tcp://127.0.0.1:{fixture.PortOf(engine, KnownEndpoints.KvEvents)}", kv[$"KvTransfer__KvEvents__Publishers__{i}__Endpoint"]);
        }

        Assert.Equal("false", fixture.DashboardEnv("router")["Router__ReleaseAbandonedLeases"]);
        // Worker-only dashboard commands (they call /admin/faults, which vLLM has not) are not offered.
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var prefill = Assert.IsType<VllmEngineResource>(model.Resources.Single(r => r.Name == "prefill-0"));
        Assert.DoesNotContain(prefill.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name is "crash" or "fail-next-kv-transfer" or "slow-kv-link");
    }

    private List<(string Engine, JsonElement Body)> Calls(string marker, params string[] engines) =>
        engines.SelectMany(e => fixture.StandIns.Requests(fixture.PortOf(e))
                .Where(r => r.GetProperty("body").GetProperty("prompt").GetString()!.StartsWith(marker, StringComparison.Ordinal))
                .Select(r => (e, r.GetProperty("body"))))
            .ToList();
}
