using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Kv;
using Grpc.Net.Client;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>The one h2c channel to the KV-transfer service (Worker:KvTransferUrl) and its three clients.</summary>
public sealed class KvTransferConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public KvTransferConnection(WorkerSettings settings)
    {
        var url = settings.KvTransferUrl ?? throw new InvalidOperationException("Worker:KvTransferUrl is not set.");
        _channel = PeerChannels.Create(url.GetLeftPart(UriPartial.Authority));
        Registry = new EngineRegistry.EngineRegistryClient(_channel);
        Index = new KvIndex.KvIndexClient(_channel);
        Telemetry = new KvTelemetry.KvTelemetryClient(_channel);
    }

    public EngineRegistry.EngineRegistryClient Registry { get; }

    public KvIndex.KvIndexClient Index { get; }

    public KvTelemetry.KvTelemetryClient Telemetry { get; }

    public void Dispose() => _channel.Dispose();
}
