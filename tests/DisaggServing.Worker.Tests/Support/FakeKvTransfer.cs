using System.Collections.Concurrent;
using System.Net;
using DisaggServing.Protocol.KvTransfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>An in-process stand-in for the KV-transfer service that records what workers send it.</summary>
public sealed class FakeKvTransfer : IAsyncDisposable
{
    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, int> _rejectHeartbeats = new();

    public ConcurrentQueue<EngineInfo> Registrations { get; } = new();
    public ConcurrentQueue<HeartbeatRequest> Heartbeats { get; } = new();
    public ConcurrentQueue<string> Deregistrations { get; } = new();
    public ConcurrentQueue<KvEventBatch> Batches { get; } = new();
    public ConcurrentQueue<TransferReport> Transfers { get; } = new();
    public ConcurrentQueue<LeaseReport> Leases { get; } = new();

    public double HeartbeatIntervalSeconds { get; init; } = 0.05;

    public string Url { get; private set; } = "";

    /// <summary>Answers the engine's next heartbeat with NOT_FOUND, as a registry that dropped it.</summary>
    public void RejectNextHeartbeat(string engineId) => _rejectHeartbeats[engineId] = 1;

    internal bool TakeHeartbeatRejection(string engineId) => _rejectHeartbeats.TryRemove(engineId, out _);

    public static async Task<FakeKvTransfer> StartAsync()
    {
        var fake = new FakeKvTransfer();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(fake);
        var app = builder.Build();
        app.MapGrpcService<FakeRegistryService>();
        app.MapGrpcService<FakeIndexService>();
        app.MapGrpcService<FakeTelemetryService>();
        await app.StartAsync();
        fake._app = app;
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WorkerHost.WaitTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>Every event published by <paramref name="engineId"/>, in batch order.</summary>
    public List<KvEvent> EventsOf(string engineId) =>
        [.. Batches.Where(b => b.EngineId == engineId).OrderBy(b => b.Sequence).SelectMany(b => b.Events)];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
