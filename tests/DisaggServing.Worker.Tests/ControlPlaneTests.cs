using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>The worker as a client of the KV-transfer service: registry, KV events, telemetry.</summary>
public sealed class ControlPlaneTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private FakeKvTransfer Service => fixture.Service;
    private WorkerHost Prefill => fixture.Prefill;
    private WorkerHost Decode => fixture.Decode;

    [Fact]
    public async Task Workers_register_with_where_they_are_and_heartbeat_their_load()
    {
        await FakeKvTransfer.WaitUntilAsync(() => Service.Registrations.Any(r => r.EngineId == Prefill.EngineId), "registration");
        var info = Service.Registrations.Last(r => r.EngineId == Prefill.EngineId);

        Assert.Equal("prefill", info.Role);
        Assert.Equal(Prefill.Settings.ModelId, info.Model);
        Assert.Equal("n1", info.Node);
        Assert.Equal([3], info.GpuIndices);
        Assert.Equal(1, info.TpSize);
        Assert.Equal($"http://127.0.0.1:{Prefill.Endpoints.HttpPort}", info.HttpAddress);
        Assert.Equal("127.0.0.1", info.KvHost);
        Assert.Equal(Prefill.Endpoints.KvPort, info.KvPort);
        Assert.NotEqual(0, info.KvPort);
        Assert.Equal(16, info.BlockSize);
        await FakeKvTransfer.WaitUntilAsync(() => Service.Heartbeats.Count(h => h.EngineId == Decode.EngineId) >= 2, "heartbeats");
        Assert.NotNull(Service.Heartbeats.First(h => h.EngineId == Decode.EngineId).Load);
    }

    [Fact]
    public async Task Stored_blocks_are_published_in_ordered_batches_with_the_shared_hashes()
    {
        var prompt = Prompts.Unique("events");
        var hashes = PromptTokenizer.BlockHashes(PromptTokenizer.Instance.Encode(prompt));

        var (status, _) = await Prefill.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 2 }));

        Assert.Equal(200, status);
        await FakeKvTransfer.WaitUntilAsync(() => StoredHashes(Prefill.EngineId).IsSupersetOf(hashes), "BlockStored events");
        var sequences = Service.Batches.Where(b => b.EngineId == Prefill.EngineId).Select(b => b.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var stored = Service.EventsOf(Prefill.EngineId).Where(e => e.EventCase == KvEvent.EventOneofCase.Stored).Select(e => e.Stored)
            .First(s => s.BlockHashes.Contains(hashes[0]));
        Assert.False(stored.HasParentBlockHash);
        Assert.Equal(16, stored.BlockSize);
    }

    [Fact]
    public async Task A_dropped_engine_registers_again_and_resends_its_cache()
    {
        var prompt = Prompts.Unique("resync");
        var hashes = PromptTokenizer.BlockHashes(PromptTokenizer.Instance.Encode(prompt));
        await Decode.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 2 }));
        await FakeKvTransfer.WaitUntilAsync(() => StoredHashes(Decode.EngineId).IsSupersetOf(hashes), "first events");
        var registrations = Service.Registrations.Count(r => r.EngineId == Decode.EngineId);
        var batches = Service.Batches.Count(b => b.EngineId == Decode.EngineId);

        Service.RejectNextHeartbeat(Decode.EngineId);

        await FakeKvTransfer.WaitUntilAsync(() => Service.Registrations.Count(r => r.EngineId == Decode.EngineId) > registrations, "re-registration");
        await FakeKvTransfer.WaitUntilAsync(() => Service.Batches.Where(b => b.EngineId == Decode.EngineId).Skip(batches)
            .Any(b => b.Events.Count > 0 && b.Events[0].EventCase == KvEvent.EventOneofCase.Cleared
                && hashes.All(h => b.Events.Any(e => e.EventCase == KvEvent.EventOneofCase.Stored && e.Stored.BlockHashes.Contains(h)))), "resync batch");
    }

    [Fact]
    public async Task Leases_and_transfers_are_reported()
    {
        var prompt = Prompts.Unique("telemetry");
        var blocks = (PromptTokenizer.Instance.Count(prompt) + 15) / 16;
        var body = Json.Of(new { prompt, max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "telemetry-1");
        var lease = kv.GetProperty("remote_request_id").GetString();

        var (status, _) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv), PdClient.Headers("telemetry-1"));

        Assert.Equal(200, status);
        await FakeKvTransfer.WaitUntilAsync(() => Service.Leases.Any(l => l.RequestId == lease && l.Event == LeaseEvent.Released), "lease released");
        Assert.Contains(Service.Leases, l => l.RequestId == lease && l.Event == LeaseEvent.Granted && l.Blocks == blocks && l.EngineId == Prefill.EngineId);
        await FakeKvTransfer.WaitUntilAsync(() => Service.Transfers.Any(t => t.RequestId == "telemetry-1"), "transfer report");
        var transfer = Service.Transfers.Single(t => t.RequestId == "telemetry-1");
        Assert.True(transfer.Success);
        Assert.Equal(Prefill.EngineId, transfer.SourceEngineId);
        Assert.Equal(Decode.EngineId, transfer.TargetEngineId);
        Assert.Equal(blocks * Decode.Settings.RealBytesPerBlock, transfer.Bytes);
    }

    [Fact]
    public async Task A_worker_deregisters_when_it_stops()
    {
        var worker = await WorkerHost.StartAsync("EngineId=cp-short-lived", "InstantEngine=true", $"KvTransferUrl={Service.Url}");
        await FakeKvTransfer.WaitUntilAsync(() => Service.Registrations.Any(r => r.EngineId == "cp-short-lived"), "registration");

        await worker.DisposeAsync();

        // The fake service may record the call after answering it.
        await FakeKvTransfer.WaitUntilAsync(() => Service.Deregistrations.Contains("cp-short-lived"), "deregistration");
    }

    [Fact]
    public async Task An_unreachable_service_does_not_stop_serving()
    {
        await using var worker = await WorkerHost.StartAsync("InstantEngine=true", "KvTransferUrl=http://127.0.0.1:1");

        var (status, _) = await worker.PostAsync("/v1/completions", Json.Of(new { prompt = Prompts.Unique("offline"), max_tokens = 2 }));
        using var health = await worker.Http.GetAsync("/health");

        Assert.Equal(200, status);
        Assert.True(health.IsSuccessStatusCode);
    }

    private HashSet<ulong> StoredHashes(string engineId) =>
        [.. Service.EventsOf(engineId).Where(e => e.EventCase == KvEvent.EventOneofCase.Stored).SelectMany(e => e.Stored.BlockHashes)];
}
