using DisaggServing.Protocol.OpenAi;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text.Json;
using DisaggServing.Protocol;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Tests.Support;
using Grpc.Core;

namespace DisaggServing.Worker.Tests;

/// <summary>vLLM's NixlConnector protocol between a prefill worker and a decode worker, pulling real bytes over the KV side channel.</summary>
public sealed class PdRoundTripTests(PdPairFixture pair) : IClassFixture<PdPairFixture>
{
    private WorkerHost Prefill => pair.Prefill;
    private WorkerHost Decode => pair.Decode;

    [Fact]
    public async Task Completion_prefills_on_one_worker_and_decodes_on_the_other()
    {
        var prompt = Prompts.Unique("pd-completion");
        var promptTokens = PromptTokenizer.Instance.Count(prompt);
        var blocks = (promptTokens + 15) / 16;
        var body = Json.Of(new { model = Prefill.Settings.ModelId, prompt, max_tokens = 10 });
        var prefillMetrics = await Prefill.MetricsAsync();
        var decodeMetrics = await Decode.MetricsAsync();

        var (prefillStatus, prefillResponse) = await Prefill.PostAsync("/v1/completions", PdClient.PrefillBody(body), PdClient.Headers("pd-1"));

        Assert.Equal(200, prefillStatus);
        Assert.Equal(1, prefillResponse.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var kv = prefillResponse.GetProperty("kv_transfer_params");
        Assert.True(kv.GetProperty("do_remote_prefill").GetBoolean());
        Assert.False(kv.GetProperty("do_remote_decode").GetBoolean());
        Assert.Equal(Prefill.EngineId, kv.GetProperty("remote_engine_id").GetString());
        Assert.False(string.IsNullOrEmpty(kv.GetProperty("remote_request_id").GetString()));
        Assert.Equal("127.0.0.1", kv.GetProperty("remote_host").GetString());
        Assert.Equal(Prefill.Endpoints.KvPort, kv.GetProperty("remote_port").GetInt32());
        Assert.Equal(1, kv.GetProperty("tp_size").GetInt32());
        var blockIds = Assert.Single(kv.GetProperty("remote_block_ids").EnumerateArray()).EnumerateArray().Select(b => b.GetInt32()).ToList();
        Assert.Equal(blocks, blockIds.Count);
        Assert.Equal(blocks, blockIds.Distinct().Count());
        var leased = await Prefill.StateAsync();
        Assert.Equal(1, leased.LeasesOpen);
        Assert.Equal(blocks, leased.BlocksUsed);

        var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv), PdClient.Headers("pd-1"));

        Assert.Equal(200, status);
        Assert.Equal(10, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(promptTokens, response.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.False(response.TryGetProperty("kv_transfer_params", out _));
        // The decoder pulled and released before answering: the prefill holds nothing now.
        var released = await Prefill.StateAsync();
        Assert.Equal(0, released.LeasesOpen);
        Assert.Equal(0, released.BlocksUsed);
        await Decode.WaitDrainedAsync();

        // Same text as one engine doing both phases.
        var colocated = await Prefill.PostAsync("/v1/completions", body);
        Assert.Equal(colocated.Body.GetProperty("choices")[0].GetProperty("text").GetString(), response.GetProperty("choices")[0].GetProperty("text").GetString());
        await Prefill.WaitDrainedAsync();

        var decodeAfter = await Decode.MetricsAsync();
        Assert.Equal(blocks * (double)Decode.Settings.RealBytesPerBlock,
            Delta(decodeMetrics, decodeAfter, MetricNames.NixlBytesTransferred));
        Assert.Equal(blocks * (double)Decode.Settings.PayloadBytesPerBlock, Delta(decodeMetrics, decodeAfter, "disagg:kv_payload_bytes_total"));
        Assert.Equal(1, Delta(decodeMetrics, decodeAfter, MetricNames.NixlXferTime + "_count"));
        Assert.Equal(0, Delta(decodeMetrics, decodeAfter, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Delta(decodeMetrics, decodeAfter, MetricNames.RequestsByPhase, "phase=\"decode\""));
        var prefillAfter = await Prefill.MetricsAsync();
        Assert.Equal(1, Delta(prefillMetrics, prefillAfter, MetricNames.RequestsByPhase, "phase=\"prefill\""));
        Assert.Equal(blocks, Delta(prefillMetrics, prefillAfter, "disagg:kv_blocks_served_total"));
    }

    [Fact]
    public async Task Streamed_chat_decodes_with_remote_kv_and_matches_a_colocated_answer()
    {
        var messages = new[] { new { role = "user", content = Prompts.Unique("pd-chat") } };
        var body = Json.Of(new { messages, max_tokens = 8, stream = true, stream_options = new { include_usage = true } });

        var kv = await PdClient.PrefillAsync(Prefill, "/v1/chat/completions", body, "pd-chat");
        var (status, contentType, chunks, done) = await SseClient.StreamAsync(Decode.Http, "/v1/chat/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.True(done);
        Assert.Equal(8, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var colocated = await Prefill.PostAsync("/v1/chat/completions", Json.Of(new { messages, max_tokens = 8 }));
        Assert.Equal(colocated.Body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), SseClient.Text(chunks));
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task Stops_end_a_remote_decode_where_they_end_a_colocated_one()
    {
        var prompt = Prompts.Unique("pd-stop");
        var (_, baseline) = await Prefill.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 30 }));
        var full = baseline.GetProperty("choices")[0].GetProperty("text").GetString()!;
        var words = full.Split(' ');
        var stop = " " + words[12] + " " + words[13][..Math.Max(1, words[13].Length - 1)];
        // The first token is a stop token, but min_tokens holds it off: the proxy drops min_tokens from the prefill
        // request, so there the one token stops the prefill (it still hands its KV over); the decoder goes on.
        var firstToken = Assert.Single(PromptTokenizer.Instance.Encode(System.Text.RegularExpressions.Regex.Match(full, @"^\w+").Value));
        var request = new { prompt, max_tokens = 30, stop = new[] { stop }, stop_token_ids = new[] { firstToken }, min_tokens = 2 };
        var body = Json.Of(new { request.prompt, request.max_tokens, request.stop, request.stop_token_ids, request.min_tokens, stream = true, stream_options = new { include_usage = true } });

        var (prefillStatus, prefill) = await Prefill.PostAsync("/v1/completions", PdClient.PrefillBody(body), PdClient.Headers("pd-stop"));
        Assert.Equal(200, prefillStatus);
        Assert.Equal("stop", prefill.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(firstToken, prefill.GetProperty("choices")[0].GetProperty("stop_reason").GetInt32());
        var (status, _, chunks, done) = await SseClient.StreamAsync(Decode.Http, "/v1/completions", PdClient.DecodeBody(body, prefill.GetProperty("kv_transfer_params")));
        var colocated = await Prefill.PostAsync("/v1/completions", Json.Of(request));

        Assert.Equal(200, status);
        Assert.True(done);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];
        var whole = colocated.Body.GetProperty("choices")[0];
        Assert.Equal(expected, whole.GetProperty("text").GetString());
        Assert.Equal(expected, SseClient.Text(chunks));
        Assert.Equal(("stop", stop), (whole.GetProperty("finish_reason").GetString(), whole.GetProperty("stop_reason").GetString()));
        var last = chunks[^2].GetProperty("choices")[0];
        Assert.Equal(("stop", stop), (last.GetProperty("finish_reason").GetString(), last.GetProperty("stop_reason").GetString()));
        Assert.Equal(colocated.Body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(),
            chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task Many_concurrent_round_trips_all_complete_and_leave_nothing_behind()
    {
        async Task<int> RoundTrip(int i)
        {
            var body = Json.Of(new { prompt = Prompts.Unique($"pd-many-{i}"), max_tokens = 5 + i % 7 });
            var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, $"many-{i}");
            var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
            Assert.Equal(200, status);
            return response.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        }

        var tokens = await Task.WhenAll(Enumerable.Range(0, 24).Select(RoundTrip));

        Assert.Equal(Enumerable.Range(0, 24).Select(i => 5 + i % 7), tokens);
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task Pulling_a_released_lease_fails_the_transfer_and_recomputes()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("pd-twice"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "twice");
        var first = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
        var before = await Decode.MetricsAsync();

        var second = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Body.GetProperty("choices")[0].GetProperty("text").GetString(), second.Body.GetProperty("choices")[0].GetProperty("text").GetString());
        var after = await Decode.MetricsAsync();
        Assert.Equal(1, Delta(before, after, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Delta(before, after, "disagg:kv_recomputes_total"));
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task The_kv_side_channel_refuses_unknown_leases_with_failed_precondition()
    {
        var client = new KvPeer.KvPeerClient(new PeerChannels().Get("127.0.0.1", Prefill.Endpoints.KvPort));
        using var call = client.PullBlocks(new PullBlocksRequest { RemoteRequestId = "no-such-lease", RequesterEngineId = "test" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var release = await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = "no-such-lease" });
        Assert.False(release.Found);
    }

    [Fact]
    public async Task A_plain_protobuf_client_pulls_the_blocks_as_kv_peer_proto_describes_them()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("pd-protobuf"), max_tokens = 2 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "protobuf");
        var leaseId = kv.GetProperty("remote_request_id").GetString()!;
        var blockIds = kv.GetProperty("remote_block_ids")[0].EnumerateArray().Select(b => b.GetInt32()).ToList();
        var client = new KvPeer.KvPeerClient(new PeerChannels().Get("127.0.0.1", Prefill.Endpoints.KvPort));
        var request = new PullBlocksRequest { RemoteRequestId = leaseId, RequesterEngineId = "test" };
        request.BlockIds.AddRange(blockIds);

        using var call = client.PullBlocks(request);
        var chunks = new List<KvBlockChunk>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            chunks.Add(chunk);

        Assert.Equal(blockIds, chunks.Select(c => c.BlockId));
        Assert.Equal(Enumerable.Range(0, blockIds.Count), chunks.Select(c => c.Index));
        foreach (var chunk in chunks)
        {
            Assert.Equal(KvPayload.Create(Prefill.EngineId, leaseId, chunk.Index, Prefill.Settings.PayloadBytesPerBlock), chunk.Payload.ToByteArray());
            Assert.Equal(XxHash3.HashToUInt64(chunk.Payload.Span), chunk.Checksum);
        }
        Assert.True((await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = leaseId })).Found);
        await Prefill.WaitDrainedAsync();
    }

    [Fact]
    public async Task Roles_refuse_the_other_side_of_the_protocol()
    {
        var body = Json.Of(new { prompt = "hi", max_tokens = 2 });
        var prefillOnDecoder = await Decode.PostAsync("/v1/completions", PdClient.PrefillBody(body));
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "roles");
        var decodeOnPrefiller = await Prefill.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(400, prefillOnDecoder.Status);
        Assert.Equal("kv_transfer_params", Json.Param(Json.AssertError(prefillOnDecoder.Body, ErrorTypes.VllmBadRequest)));
        Assert.Equal(400, decodeOnPrefiller.Status);
        // The refused decode never pulled: the lease is still open until released or expired.
        var client = new KvPeer.KvPeerClient(new PeerChannels().Get("127.0.0.1", Prefill.Endpoints.KvPort));
        Assert.True((await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = kv.GetProperty("remote_request_id").GetString() })).Found);
        await Prefill.WaitDrainedAsync();
    }

    [Fact]
    public async Task Spans_for_queue_kv_pull_and_decode_and_the_pull_itself_join_the_callers_trace()
    {
        using var root = new Activity("test-client").Start();
        var traceId = root.TraceId;
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "DisaggServing.Worker" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                    lock (spans)
                        spans.Add(a);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var body = Json.Of(new { prompt = Prompts.Unique("pd-trace"), max_tokens = 4 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "trace");

        // The test's HttpClient propagates the current activity as W3C traceparent.
        var (status, _) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, status);
        // The prefill's serving span stops once its side of the pull has closed, which can be after the decode answered.
        bool Served()
        {
            lock (spans) return spans.Any(s => s.OperationName == "kv_serve");
        }
        await FakeKvTransfer.WaitUntilAsync(Served, "the prefill's kv_serve span");
        string[] names;
        int serverSpans;
        lock (spans)
        {
            names = [.. spans.Where(s => s.Source.Name == "DisaggServing.Worker").Select(s => s.OperationName)];
            serverSpans = spans.Count(s => s.Source.Name == "Microsoft.AspNetCore");
        }
        // The decode request, and the prefill's serving of the pull (on the KV data channel), all in the caller's trace.
        Assert.True(serverSpans >= 1, $"{serverSpans} server spans in the trace");
        Assert.Contains("kv_serve", names);
        Assert.Contains("queue", names);
        Assert.Contains("kv_pull", names);
        Assert.Contains("decode", names);
    }

    private static double Delta(string before, string after, string name, string? labels = null) =>
        Support.Metrics.Value(after, name, labels) - Support.Metrics.Value(before, name, labels);
}
