using DisaggServing.Protocol;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Tests.Support;
using Grpc.Core;

namespace DisaggServing.Worker.Tests;

/// <summary>The raw-TCP KV data channel on KvPort, beside gRPC on the same port.</summary>
public sealed class KvDataChannelTests(PdPairFixture pair) : IClassFixture<PdPairFixture>
{
    private WorkerHost Prefill => pair.Prefill;
    private WorkerHost Decode => pair.Decode;

    [Fact]
    public async Task A_round_trip_pulls_over_the_data_channel_and_releases_the_lease_on_it()
    {
        var decodeBefore = await Decode.MetricsAsync();
        var prefillBefore = await Prefill.MetricsAsync();
        var blocks = 0;

        for (var i = 0; i < 3; i++) // later pulls reuse the pooled connection
        {
            var prompt = Prompts.Unique($"tcp-round-trip-{i}");
            blocks += (PromptTokenizer.Instance.Count(prompt) + 15) / 16;
            var body = Json.Of(new { prompt, max_tokens = 4 });
            var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, $"tcp-{i}");
            var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
            Assert.Equal(200, status);
            Assert.Equal(4, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            // Released on the data connection before the decode answered.
            Assert.Equal(0, (await Prefill.StateAsync()).LeasesOpen);
        }

        var decodeAfter = await Decode.MetricsAsync();
        var prefillAfter = await Prefill.MetricsAsync();
        Assert.Equal(3, Delta(decodeBefore, decodeAfter, "disagg:kv_pull_transport_total", "transport=\"tcp\""));
        Assert.Equal(0, Delta(decodeBefore, decodeAfter, "disagg:kv_pull_transport_total", "transport=\"grpc\""));
        Assert.Equal(0, Delta(decodeBefore, decodeAfter, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(blocks * (double)Decode.Settings.PayloadBytesPerBlock, Delta(decodeBefore, decodeAfter, "disagg:kv_payload_bytes_total"));
        Assert.Equal(blocks, Delta(prefillBefore, prefillAfter, "disagg:kv_blocks_served_total"));
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task Grpc_still_answers_on_the_same_port()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("tcp-grpc"), max_tokens = 2 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "tcp-grpc");
        using var channels = new PeerChannels();
        var client = new KvPeer.KvPeerClient(channels.Get("127.0.0.1", Prefill.Endpoints.KvPort));
        var request = new PullBlocksRequest { RemoteRequestId = kv.GetProperty("remote_request_id").GetString(), RequesterEngineId = "test" };
        request.BlockIds.AddRange(kv.GetProperty("remote_block_ids")[0].EnumerateArray().Select(b => b.GetInt32()));

        using var call = client.PullBlocks(request);
        var chunks = await call.ResponseStream.ReadAllAsync().CountAsync();

        Assert.Equal(request.BlockIds.Count, chunks);
        Assert.True((await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = request.RemoteRequestId })).Found);
        await Prefill.WaitDrainedAsync();
    }

    [Fact]
    public async Task An_unknown_lease_is_refused_as_failed_precondition_with_the_grpc_text()
    {
        using var connection = await KvDataConnection.OpenAsync("127.0.0.1", Prefill.Endpoints.KvPort, CancellationToken.None);
        Assert.NotNull(connection);

        await connection.SendAsync(new KvDataRequest("no-such-lease", "test", Prefill.Settings.ModelId, "node-x", [1, 2]).ToFrame(), CancellationToken.None);
        var (type, body) = await connection.ReadFrameAsync(CancellationToken.None);

        Assert.Equal(KvDataFrame.Error, type);
        Assert.Equal(KvDataChannelProtocol.FailedPrecondition, body[0]);
        Assert.Equal((byte)StatusCode.FailedPrecondition, body[0]);
        Assert.Contains($"No open lease 'no-such-lease' on engine {Prefill.EngineId}", System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task Blocks_outside_the_lease_are_refused_as_invalid_argument_and_the_lease_survives()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("tcp-bad-blocks"), max_tokens = 2 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "tcp-bad-blocks");
        var leaseId = kv.GetProperty("remote_request_id").GetString()!;
        using var connection = await KvDataConnection.OpenAsync("127.0.0.1", Prefill.Endpoints.KvPort, CancellationToken.None);
        Assert.NotNull(connection);

        await connection.SendAsync(new KvDataRequest(leaseId, "test", Prefill.Settings.ModelId, "node-x", [-5]).ToFrame(), CancellationToken.None);
        var (type, error) = await connection.ReadFrameAsync(CancellationToken.None);

        Assert.Equal(KvDataFrame.Error, type);
        Assert.Equal((byte)StatusCode.InvalidArgument, error[0]);
        using var channels = new PeerChannels();
        var client = new KvPeer.KvPeerClient(channels.Get("127.0.0.1", Prefill.Endpoints.KvPort));
        Assert.True((await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = leaseId })).Found);
        await Prefill.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_corrupt_block_on_the_data_channel_fails_verification_and_the_lease_is_released()
    {
        await KvFaultTests.SetFaultAsync(Prefill, new { fail_next_kv_transfer = true });
        var body = Json.Of(new { prompt = Prompts.Unique("tcp-corrupt"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "tcp-corrupt");
        var before = await Decode.MetricsAsync();

        var (status, _) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, status); // recomputed
        var after = await Decode.MetricsAsync();
        Assert.Equal(1, Delta(before, after, "disagg:kv_pull_transport_total", "transport=\"tcp\""));
        Assert.Equal(1, Delta(before, after, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Delta(before, after, "disagg:kv_recomputes_total"));
        // The failed pull releases the lease (in the background).
        await Prefill.WaitForStateAsync(s => s.LeasesOpen == 0, "the lease released");
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_pull_of_a_released_lease_fails_as_before()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("tcp-twice"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "tcp-twice");
        var first = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
        var before = await Decode.MetricsAsync();

        var second = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        var after = await Decode.MetricsAsync();
        Assert.Equal(1, Delta(before, after, "disagg:kv_pull_transport_total", "transport=\"tcp\""));
        Assert.Equal(1, Delta(before, after, MetricNames.NixlNumFailedTransfers));
        await Decode.WaitDrainedAsync();
    }

    private static double Delta(string before, string after, string name, string? labels = null) =>
        Support.Metrics.Value(after, name, labels) - Support.Metrics.Value(before, name, labels);
}

/// <summary>A decoder pulling from a prefill that serves gRPC only falls back to PullBlocks.</summary>
public sealed class KvDataChannelFallbackTests : IAsyncLifetime
{
    private WorkerHost _prefill = null!;
    private WorkerHost _decode = null!;

    public async Task InitializeAsync()
    {
        var prefill = WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-grpc", "Node=node-a", "SpeedFactor=10", "KvDataChannel=false");
        var decode = WorkerHost.StartAsync("Role=decode", "EngineId=decode-tcp", "Node=node-b", "SpeedFactor=10");
        _prefill = await prefill;
        _decode = await decode;
    }

    public async Task DisposeAsync()
    {
        await _decode.DisposeAsync();
        await _prefill.DisposeAsync();
    }

    [Fact]
    public async Task Pulls_fall_back_to_grpc_when_the_peer_does_not_speak_the_data_channel()
    {
        Assert.Null(await KvDataConnection.OpenAsync("127.0.0.1", _prefill.Endpoints.KvPort, CancellationToken.None));
        var before = await _decode.MetricsAsync();

        for (var i = 0; i < 2; i++)
        {
            var body = Json.Of(new { prompt = Prompts.Unique($"fallback-{i}"), max_tokens = 3 });
            var kv = await PdClient.PrefillAsync(_prefill, "/v1/completions", body, $"fallback-{i}");
            var (status, response) = await _decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
            Assert.Equal(200, status);
            Assert.Equal(3, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.Equal(0, (await _prefill.StateAsync()).LeasesOpen);
        }

        var after = await _decode.MetricsAsync();
        Assert.Equal(2, Support.Metrics.Value(after, "disagg:kv_pull_transport_total", "transport=\"grpc\"")
            - Support.Metrics.Value(before, "disagg:kv_pull_transport_total", "transport=\"grpc\""));
        Assert.Equal(0, Support.Metrics.Value(after, MetricNames.NixlNumFailedTransfers) - Support.Metrics.Value(before, MetricNames.NixlNumFailedTransfers));
        await _prefill.WaitDrainedAsync();
        await _decode.WaitDrainedAsync();
    }
}
