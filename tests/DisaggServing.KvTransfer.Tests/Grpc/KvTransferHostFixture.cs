using DisaggServing.Engine.Clock;
using DisaggServing.KvTransfer.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Tests.Grpc;

/// <summary>
/// The real host (Kestrel) on 127.0.0.1 with ephemeral ports, started once per test class, on a virtual clock so
/// heartbeat expiry is driven by the tests; generated gRPC clients over h2c and an HTTP/1.1 client.
/// </summary>
public sealed class KvTransferHostFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public VirtualTimeProvider Clock { get; } = new();

    public Proto.EngineRegistry.EngineRegistryClient Registry { get; private set; } = null!;

    public Proto.KvIndex.KvIndexClient Index { get; private set; } = null!;

    public Proto.KvTelemetry.KvTelemetryClient Telemetry { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = KvTransferApp.Create(
            [
                "--KvTransfer:GrpcPort=0",
                "--KvTransfer:HttpPort=0",
                "--KvTransfer:ListenAddress=127.0.0.1",
                "--KvTransfer:HeartbeatIntervalSeconds=2",
                "--KvTransfer:ExpirySeconds=6",
                "--KvTransfer:SweepIntervalSeconds=1",
                "--Logging:LogLevel:Default=Warning",
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(Clock));
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var bound = _app.Services.GetRequiredService<BoundEndpoints>();
        Assert.NotEqual(0, bound.Grpc!.Port);
        Assert.NotEqual(0, bound.Http!.Port);
        GrpcAddress = new Uri($"http://127.0.0.1:{bound.Grpc.Port}");
        _channel = GrpcChannel.ForAddress(GrpcAddress);
        Registry = new Proto.EngineRegistry.EngineRegistryClient(_channel);
        Index = new Proto.KvIndex.KvIndexClient(_channel);
        Telemetry = new Proto.KvTelemetry.KvTelemetryClient(_channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{bound.Http.Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }
    }
}
