using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Telemetry;
using Grpc.Core;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Grpc;

/// <summary>Wire messages ↔ the plain types of the registry, index and telemetry.</summary>
internal static class ProtoMapping
{
    public static EngineDescriptor ToDescriptor(Proto.EngineInfo? info)
    {
        if (info is null)
            throw Invalid("engine is required.");
        return new EngineDescriptor(
            info.EngineId, info.Role, info.Model, info.Node, info.GpuIndices.ToArray(), info.TpSize,
            info.HttpAddress, info.KvHost, info.KvPort, info.BlockSize);
    }

    public static Proto.EngineInfo ToInfo(EngineDescriptor engine) => new()
    {
        EngineId = engine.EngineId,
        Role = engine.Role,
        Model = engine.Model,
        Node = engine.Node,
        GpuIndices = { engine.GpuIndices },
        TpSize = engine.TpSize,
        HttpAddress = engine.HttpAddress,
        KvHost = engine.KvHost,
        KvPort = engine.KvPort,
        BlockSize = engine.BlockSize,
    };

    public static EngineLoadReport ToLoad(Proto.EngineLoad? load) =>
        load is null ? EngineLoadReport.Idle : new EngineLoadReport(load.Waiting, load.Running, load.KvUsage, load.OpenLeases);

    public static Proto.RegisteredEngine ToRegistered(RegisteredEngine engine) => new()
    {
        Engine = ToInfo(engine.Engine),
        Load = new Proto.EngineLoad
        {
            Waiting = engine.Load.Waiting,
            Running = engine.Load.Running,
            KvUsage = engine.Load.KvUsage,
            OpenLeases = engine.Load.OpenLeases,
        },
        SecondsSinceHeartbeat = engine.SinceHeartbeat.TotalSeconds,
    };

    public static KvBlockEvent[] ToEvents(Proto.KvEventBatch batch)
    {
        var events = new KvBlockEvent[batch.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = batch.Events[i];
            events[i] = e.EventCase switch
            {
                Proto.KvEvent.EventOneofCase.Stored => new KvBlockEvent(KvBlockEventKind.Stored, e.Stored.BlockHashes.ToArray()),
                Proto.KvEvent.EventOneofCase.Removed => new KvBlockEvent(KvBlockEventKind.Removed, e.Removed.BlockHashes.ToArray()),
                Proto.KvEvent.EventOneofCase.Cleared => KvBlockEvent.Cleared(),
                _ => throw Invalid($"events[{i}] carries no event (stored, removed or cleared)."),
            };
        }

        return events;
    }

    public static TransferRecord ToTransfer(Proto.TransferReport report) =>
        new(report.SourceEngineId, report.TargetEngineId, report.Bytes, report.DurationSeconds, report.Success);

    public static LeaseEventKind ToLeaseEvent(Proto.LeaseEvent e) => e switch
    {
        Proto.LeaseEvent.Granted => LeaseEventKind.Granted,
        Proto.LeaseEvent.Extended => LeaseEventKind.Extended,
        Proto.LeaseEvent.Released => LeaseEventKind.Released,
        Proto.LeaseEvent.Expired => LeaseEventKind.Expired,
        _ => throw Invalid($"event {e} is not a lease event (granted, extended, released or expired)."),
    };

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));
}
