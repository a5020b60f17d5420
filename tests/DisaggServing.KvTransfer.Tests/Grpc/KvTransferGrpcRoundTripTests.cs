using System.Net;
using System.Text.Json;
using DisaggServing.Protocol.Kv;
using Grpc.Core;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Tests.Grpc;

/// <summary>Every RPC through the real host, plus its HTTP/1.1 surface. Engine ids are unique per test.</summary>
public class KvTransferGrpcRoundTripTests(KvTransferHostFixture host) : IClassFixture<KvTransferHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CallOptions Call => new(deadline: DateTime.UtcNow + Timeout);

    private static Proto.EngineInfo Engine(string id, string role = "prefill", string model = "llama-3.3-70b") => new()
    {
        EngineId = id,
        Role = role,
        Model = model,
        Node = "node-0",
        GpuIndices = { 0, 1, 2, 3 },
        TpSize = 4,
        HttpAddress = "http://127.0.0.1:5001",
        KvHost = "127.0.0.1",
        KvPort = 6001,
        BlockSize = 16,
    };

    private static Proto.KvEventBatch Stored(string engineId, ulong sequence, IEnumerable<ulong> hashes) => new()
    {
        EngineId = engineId,
        Sequence = sequence,
        Events = { new Proto.KvEvent { Stored = new Proto.BlockStored { BlockHashes = { hashes }, BlockSize = 16 } } },
    };

    private static ulong[] Prompt(int seed, int blocks) =>
        KvBlockHasher.HashPrompt(Enumerable.Range(seed * 100_000, blocks * 16).ToArray());

    private async Task RegisterAsync(params Proto.EngineInfo[] engines)
    {
        foreach (var engine in engines)
            await host.Registry.RegisterAsync(new Proto.RegisterEngineRequest { Engine = engine }, Call);
    }

    [Fact]
    public async Task Register_returns_the_heartbeat_contract_and_the_engine_is_listed()
    {
        var reply = await host.Registry.RegisterAsync(new Proto.RegisterEngineRequest { Engine = Engine("rt-reg-p0") }, Call);

        Assert.Equal(2, reply.HeartbeatIntervalSeconds);
        Assert.Equal(6, reply.ExpirySeconds);
        var listed = (await host.Registry.ListEnginesAsync(new Proto.ListEnginesRequest(), Call)).Engines
            .Single(e => e.Engine.EngineId == "rt-reg-p0");
        Assert.Equal(Engine("rt-reg-p0"), listed.Engine);
        Assert.Equal(0, listed.SecondsSinceHeartbeat);
    }

    [Fact]
    public async Task Register_rejects_a_bad_role_as_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Registry.RegisterAsync(new Proto.RegisterEngineRequest { Engine = Engine("rt-bad", role: "router") }, Call).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("role", error.Status.Detail);
    }

    [Fact]
    public async Task Heartbeat_updates_load_and_unknown_engines_get_not_found()
    {
        await RegisterAsync(Engine("rt-hb-d0", "decode"));

        await host.Registry.HeartbeatAsync(new Proto.HeartbeatRequest
        {
            EngineId = "rt-hb-d0",
            Load = new Proto.EngineLoad { Waiting = 2, Running = 7, KvUsage = 0.25, OpenLeases = 1 },
        }, Call);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Registry.HeartbeatAsync(new Proto.HeartbeatRequest { EngineId = "rt-ghost" }, Call).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var listed = (await host.Registry.ListEnginesAsync(new Proto.ListEnginesRequest { Role = "decode" }, Call)).Engines
            .Single(e => e.Engine.EngineId == "rt-hb-d0");
        Assert.Equal(new Proto.EngineLoad { Waiting = 2, Running = 7, KvUsage = 0.25, OpenLeases = 1 }, listed.Load);
    }

    [Fact]
    public async Task List_filters_by_role_and_model()
    {
        await RegisterAsync(Engine("rt-ls-p", "prefill", "rt-ls-model"), Engine("rt-ls-d", "decode", "rt-ls-model"), Engine("rt-ls-x", "decode", "other"));

        var decode = await host.Registry.ListEnginesAsync(new Proto.ListEnginesRequest { Role = "decode", Model = "rt-ls-model" }, Call);
        var model = await host.Registry.ListEnginesAsync(new Proto.ListEnginesRequest { Model = "rt-ls-model" }, Call);

        Assert.Equal(["rt-ls-d"], decode.Engines.Select(e => e.Engine.EngineId));
        Assert.Equal(["rt-ls-d", "rt-ls-p"], model.Engines.Select(e => e.Engine.EngineId));
    }

    [Fact]
    public async Task Published_blocks_answer_longest_prefix_queries_with_an_engine_filter()
    {
        await RegisterAsync(Engine("rt-ix-a"), Engine("rt-ix-b"), Engine("rt-ix-c"));
        var prompt = Prompt(1, 32);
        Assert.False((await host.Index.PublishAsync(Stored("rt-ix-a", 1, prompt), Call)).ResyncRequired);
        Assert.False((await host.Index.PublishAsync(Stored("rt-ix-b", 1, prompt[..20]), Call)).ResyncRequired);
        Assert.False((await host.Index.PublishAsync(Stored("rt-ix-c", 1, prompt[..4]), Call)).ResyncRequired);
        await host.Index.PublishAsync(new Proto.KvEventBatch
        {
            EngineId = "rt-ix-a",
            Sequence = 2,
            Events = { new Proto.KvEvent { Removed = new Proto.BlockRemoved { BlockHashes = { prompt[30..] } } } },
        }, Call);

        var all = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt } }, Call);
        var filtered = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt }, EngineIds = { "rt-ix-c", "rt-ix-b" } }, Call);
        var unknown = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { Prompt(2, 8) } }, Call);

        Assert.Equal([("rt-ix-a", 30), ("rt-ix-b", 20), ("rt-ix-c", 4)], all.Matches.Select(m => (m.EngineId, m.MatchedBlocks)));
        Assert.Equal([("rt-ix-b", 20), ("rt-ix-c", 4)], filtered.Matches.Select(m => (m.EngineId, m.MatchedBlocks)));
        Assert.Empty(unknown.Matches);
    }

    [Fact]
    public async Task A_sequence_gap_asks_for_a_resync_and_drops_the_engines_blocks()
    {
        await RegisterAsync(Engine("rt-gap"));
        var prompt = Prompt(3, 8);
        await host.Index.PublishAsync(Stored("rt-gap", 10, prompt), Call);

        var reply = await host.Index.PublishAsync(Stored("rt-gap", 12, prompt), Call);

        Assert.True(reply.ResyncRequired);
        var matches = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt } }, Call);
        Assert.Empty(matches.Matches);
        // The resync snapshot starts a new sequence.
        var snapshot = Stored("rt-gap", 13, prompt[..5]);
        snapshot.Events.Insert(0, new Proto.KvEvent { Cleared = new Proto.AllBlocksCleared() });
        Assert.False((await host.Index.PublishAsync(snapshot, Call)).ResyncRequired);
        matches = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt } }, Call);
        Assert.Equal(5, matches.Matches.Single().MatchedBlocks);
    }

    [Fact]
    public async Task Publishing_for_an_unregistered_engine_is_not_found_and_an_empty_event_invalid()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => host.Index.PublishAsync(Stored("rt-nobody", 1, [1UL]), Call).ResponseAsync);
        await RegisterAsync(Engine("rt-empty-event"));
        var empty = await Assert.ThrowsAsync<RpcException>(() =>
            host.Index.PublishAsync(new Proto.KvEventBatch { EngineId = "rt-empty-event", Events = { new Proto.KvEvent() } }, Call).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
    }

    [Fact]
    public async Task Deregister_drops_the_engine_and_its_blocks_and_is_idempotent()
    {
        await RegisterAsync(Engine("rt-dereg"));
        var prompt = Prompt(4, 4);
        await host.Index.PublishAsync(Stored("rt-dereg", 1, prompt), Call);

        await host.Registry.DeregisterAsync(new Proto.DeregisterRequest { EngineId = "rt-dereg" }, Call);
        await host.Registry.DeregisterAsync(new Proto.DeregisterRequest { EngineId = "rt-dereg" }, Call);

        var list = await host.Registry.ListEnginesAsync(new Proto.ListEnginesRequest(), Call);
        Assert.DoesNotContain(list.Engines, e => e.Engine.EngineId == "rt-dereg");
        Assert.Empty((await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt } }, Call)).Matches);
    }

    [Fact]
    public async Task Engines_that_stop_heartbeating_drop_out_of_registry_and_index()
    {
        await RegisterAsync(Engine("rt-exp-alive"), Engine("rt-exp-dead"));
        var prompt = Prompt(5, 6);
        await host.Index.PublishAsync(Stored("rt-exp-alive", 1, prompt), Call);
        await host.Index.PublishAsync(Stored("rt-exp-dead", 1, prompt), Call);

        for (var i = 0; i < 4; i++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(2));
            await host.Registry.HeartbeatAsync(new Proto.HeartbeatRequest { EngineId = "rt-exp-alive" }, Call);
        }

        var matches = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt } }, Call);
        Assert.Equal(["rt-exp-alive"], matches.Matches.Select(m => m.EngineId));
        var heartbeat = await Assert.ThrowsAsync<RpcException>(() =>
            host.Registry.HeartbeatAsync(new Proto.HeartbeatRequest { EngineId = "rt-exp-dead" }, Call).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, heartbeat.StatusCode);
        // Re-registering brings it back, empty.
        await RegisterAsync(Engine("rt-exp-dead"));
        matches = await host.Index.FindLongestPrefixAsync(new Proto.PrefixQuery { BlockHashes = { prompt }, EngineIds = { "rt-exp-dead" } }, Call);
        Assert.Empty(matches.Matches);
    }

    [Fact]
    public async Task Telemetry_reports_add_up_in_stats_json_and_metrics()
    {
        var before = await host.Telemetry.GetStatsAsync(new Proto.StatsRequest(), Call);
        await host.Telemetry.ReportTransferAsync(new Proto.TransferReport
        {
            RequestId = "r1", SourceEngineId = "p0", TargetEngineId = "d0", Bytes = 4096, DurationSeconds = 0.003, Success = true,
        }, Call);
        await host.Telemetry.ReportTransferAsync(new Proto.TransferReport
        {
            RequestId = "r2", SourceEngineId = "p0", TargetEngineId = "d0", Bytes = 10, DurationSeconds = 0.5, Success = false, Error = "peer gone",
        }, Call);
        foreach (var e in new[] { Proto.LeaseEvent.Granted, Proto.LeaseEvent.Granted, Proto.LeaseEvent.Released, Proto.LeaseEvent.Expired })
            await host.Telemetry.ReportLeaseAsync(new Proto.LeaseReport { EngineId = "p0", RequestId = "r", Event = e, Blocks = 8 }, Call);
        var bad = await Assert.ThrowsAsync<RpcException>(() =>
            host.Telemetry.ReportLeaseAsync(new Proto.LeaseReport { EngineId = "p0", Event = Proto.LeaseEvent.Unspecified }, Call).ResponseAsync);

        var after = await host.Telemetry.GetStatsAsync(new Proto.StatsRequest(), Call);

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal(before.Transfers + 2, after.Transfers);
        Assert.Equal(before.FailedTransfers + 1, after.FailedTransfers);
        Assert.Equal(before.Bytes + 4096, after.Bytes);
        Assert.Equal(before.TransferSeconds + 0.003, after.TransferSeconds, 9);
        Assert.Equal(before.LeasesGranted + 2, after.LeasesGranted);
        Assert.Equal(before.LeasesReleased + 1, after.LeasesReleased);
        Assert.Equal(before.LeasesExpired + 1, after.LeasesExpired);

        using var stats = JsonDocument.Parse(await host.Http.GetStringAsync("/stats"));
        Assert.Equal(after.Transfers, stats.RootElement.GetProperty("transfers").GetInt64());
        Assert.Equal(after.Bytes, stats.RootElement.GetProperty("bytes").GetInt64());
        Assert.True(stats.RootElement.GetProperty("transfer_seconds_p99").GetDouble() > 0);

        var metrics = await host.Http.GetStringAsync("/metrics");
        Assert.Contains($"disagg:kvtransfer_transfers_total {after.Transfers}", metrics);
        Assert.Contains($"disagg:kvtransfer_failed_transfers_total {after.FailedTransfers}", metrics);
        Assert.Contains($"disagg:kvtransfer_bytes_total {after.Bytes}", metrics);
        Assert.Contains("disagg:kvtransfer_transfer_duration_seconds_bucket{le=\"0.005\"}", metrics);
        Assert.Contains($"disagg:kvtransfer_leases_expired_total {after.LeasesExpired}", metrics);
        Assert.Contains("disagg:kvtransfer_engines{role=\"prefill\"}", metrics);
        Assert.Contains("disagg:kvtransfer_indexed_blocks", metrics);
    }

    [Fact]
    public async Task The_http_listener_serves_health_and_the_engines_view()
    {
        await RegisterAsync(Engine("rt-http-d", "decode"));
        await host.Index.PublishAsync(Stored("rt-http-d", 1, Prompt(6, 3)), Call);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/alive")).StatusCode);
        using var engines = JsonDocument.Parse(await host.Http.GetStringAsync("/engines?role=decode"));
        var engine = engines.RootElement.GetProperty("engines").EnumerateArray()
            .Single(e => e.GetProperty("engine_id").GetString() == "rt-http-d");
        Assert.Equal("decode", engine.GetProperty("role").GetString());
        Assert.Equal(3, engine.GetProperty("indexed_blocks").GetInt32());
        Assert.Equal(4, engine.GetProperty("gpu_indices").GetArrayLength());
        Assert.Equal(0.0, engine.GetProperty("load").GetProperty("kv_usage").GetDouble());
    }

    [Fact]
    public async Task The_grpc_listener_speaks_http2_only()
    {
        using var http1 = new HttpClient { BaseAddress = host.GrpcAddress, Timeout = Timeout };

        var response = await http1.GetAsync("/health");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only", await response.Content.ReadAsStringAsync());
    }
}
