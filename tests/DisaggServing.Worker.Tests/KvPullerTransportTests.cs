using System.Diagnostics;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.ControlPlane;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Observability;
using DisaggServing.Worker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Worker.Tests;

/// <summary>KvPuller over fake transports: it picks the first that takes the pull and knows nothing of the wire.</summary>
public sealed class KvPullerTransportTests
{
    private static readonly WorkerSettings Settings = WorkerSettings.Resolve(new WorkerOptions
    {
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        EngineId = "decode-seam",
        InstantEngine = true,
    });

    [Fact]
    public async Task The_puller_takes_the_first_transport_that_takes_the_pull_and_counts_it_by_name()
    {
        var declines = new FakeKvTransport("first", _ => null);
        var takes = new FakeKvTransport("second", _ => new KvTransportResult(new KvPullResult(true, null, 3, 300, 30, TimeSpan.Zero), true));
        var metrics = new WorkerMetrics(Settings);

        var result = await Puller(metrics, declines, takes).PullAsync(Plan(), CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Single(declines.Pulls);
        var pull = Assert.Single(takes.Pulls);
        Assert.Equal(("10.0.0.7", 5600, "lease-1", "prefill-seam"), (pull.Host, pull.Port, pull.LeaseId, pull.RemoteEngineId));
        Assert.Equal([11, 12, 13], pull.BlockIds);
        var text = metrics.Registry.Export();
        Assert.Equal(1, Support.Metrics.Value(text, WorkerMetricNames.KvPullTransport, "transport=\"second\""));
        Assert.Equal(0, Support.Metrics.Value(text, WorkerMetricNames.KvPullTransport, "transport=\"first\""));
    }

    [Fact]
    public async Task A_failed_pull_from_a_reachable_peer_releases_the_lease_over_the_last_transport()
    {
        var failing = new FakeKvTransport("tcp", _ => new KvTransportResult(KvPullResult.Failed("Block 0 failed its checksum."), Reachable: true));
        var fallback = new FakeKvTransport("grpc", _ => throw new InvalidOperationException("not asked: the first transport took the pull"));

        var result = await Puller(new WorkerMetrics(Settings), failing, fallback).PullAsync(Plan(), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("Block 0 failed its checksum.", result.Error);
        Assert.Equal("lease-1", await fallback.Released.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Params_without_remote_block_ids_fail_without_asking_any_transport()
    {
        var transport = new FakeKvTransport("grpc", _ => throw new InvalidOperationException("not asked"));
        var plan = Plan() with { Remote = new KvTransferParams { DoRemotePrefill = true, RemoteHost = "10.0.0.7", RemotePort = 5600 } };

        var result = await Puller(new WorkerMetrics(Settings), transport).PullAsync(plan, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("remote_block_ids", result.Error);
        Assert.Empty(transport.Pulls);
    }

    private static KvPuller Puller(WorkerMetrics metrics, params IKvTransport[] transports) =>
        new(Settings, transports, TimeProvider.System, metrics, new NullKvTelemetrySink(), new FaultState(), NullLogger<KvPuller>.Instance);

    private static KvPullPlan Plan() => new(
        "req-1",
        "client-1",
        new KvTransferParams
        {
            DoRemotePrefill = true,
            RemoteEngineId = "prefill-seam",
            RemoteRequestId = "lease-1",
            RemoteHost = "10.0.0.7",
            RemotePort = 5600,
            RemoteBlockIds = [[11, 12, 13]],
        },
        LocalBlocks: 3,
        CachedBlocks: 0,
        PromptTokens: 40,
        Parent: default(ActivityContext));
}
