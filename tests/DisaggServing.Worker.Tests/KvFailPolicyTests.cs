using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>kv_load_failure_policy=fail: a failed pull is an OpenAI-shaped 500 to the client, and nothing stays allocated.</summary>
public sealed class KvFailPolicyTests(FailPolicyPairFixture pair) : IClassFixture<FailPolicyPairFixture>
{
    private WorkerHost Prefill => pair.Prefill;
    private WorkerHost Decode => pair.Decode;

    [Fact]
    public async Task A_failed_pull_is_a_500_and_frees_the_blocks_on_both_sides()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("fail-policy"), max_tokens = 5 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "fail-1");
        await KvFaultTests.SetFaultAsync(Decode, new { fail_next_kv_transfer = true });
        var before = await Decode.MetricsAsync();

        var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(500, status);
        var error = Json.AssertError(response, ErrorTypes.Server);
        Assert.Equal("kv_load_failed", error.GetProperty("code").GetString());
        Assert.Contains("fail_next_kv_transfer", error.GetProperty("message").GetString());
        var after = await Decode.MetricsAsync();
        Assert.Equal(1, Support.Metrics.Value(after, MetricNames.NixlNumFailedTransfers) - Support.Metrics.Value(before, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Support.Metrics.Value(after, MetricNames.RequestSuccess, "finished_reason=\"error\"") - Support.Metrics.Value(before, MetricNames.RequestSuccess, "finished_reason=\"error\""));
        await Decode.WaitDrainedAsync();
        await Prefill.WaitDrainedAsync();
        using var health = await Decode.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_failed_pull_for_a_stream_is_a_500_before_any_event()
    {
        var body = Json.Of(new { messages = new[] { new { role = "user", content = Prompts.Unique("fail-stream") } }, max_tokens = 5, stream = true });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/chat/completions", body, "fail-2");
        await KvFaultTests.SetFaultAsync(Prefill, new { fail_next_kv_transfer = true });

        var (status, contentType, chunks, done) = await SseClient.StreamAsync(Decode.Http, "/v1/chat/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(500, status);
        Assert.Equal("application/json", contentType);
        Assert.False(done);
        Json.AssertError(Assert.Single(chunks), ErrorTypes.Server);
        await Decode.WaitDrainedAsync();
        await Prefill.WaitDrainedAsync();
    }

    [Fact]
    public async Task An_unreachable_prefill_is_a_500()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("fail-unreachable"), max_tokens = 5 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "fail-3");
        var unreachable = System.Text.Json.Nodes.JsonNode.Parse(kv.GetRawText())!.AsObject();
        unreachable["remote_port"] = 1; // nothing listens there

        var (status, response) = await Decode.PostAsync("/v1/completions",
            PdClient.DecodeBody(body, System.Text.Json.JsonDocument.Parse(unreachable.ToJsonString()).RootElement));

        Assert.Equal(500, status);
        Assert.Equal("kv_load_failed", Json.AssertError(response, ErrorTypes.Server).GetProperty("code").GetString());
        await Decode.WaitDrainedAsync();
        // Nobody could tell the prefill: its lease runs out on its own (LeaseExpiryTests); release it here.
        var client = new DisaggServing.Protocol.KvPeer.KvPeer.KvPeerClient(new DisaggServing.Worker.Kv.PeerChannels().Get("127.0.0.1", Prefill.Endpoints.KvPort));
        await client.ReleaseLeaseAsync(new DisaggServing.Protocol.KvPeer.LeaseRequest { RemoteRequestId = kv.GetProperty("remote_request_id").GetString() });
        await Prefill.WaitDrainedAsync();
    }
}
