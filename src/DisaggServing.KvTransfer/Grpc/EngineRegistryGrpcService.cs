using DisaggServing.KvTransfer.Registry;
using Grpc.Core;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Grpc;

/// <summary>The <c>EngineRegistry</c> gRPC service over <see cref="Registry.EngineRegistry"/>.</summary>
internal sealed class EngineRegistryGrpcService(EngineRegistry registry) : Proto.EngineRegistry.EngineRegistryBase
{
    public override Task<Proto.RegisterEngineReply> Register(Proto.RegisterEngineRequest request, ServerCallContext context)
    {
        try
        {
            registry.Register(ProtoMapping.ToDescriptor(request.Engine));
        }
        catch (ArgumentException e)
        {
            throw ProtoMapping.Invalid(e.Message);
        }

        return Task.FromResult(new Proto.RegisterEngineReply
        {
            HeartbeatIntervalSeconds = registry.Timings.HeartbeatInterval.TotalSeconds,
            ExpirySeconds = registry.Timings.Expiry.TotalSeconds,
        });
    }

    public override Task<Proto.HeartbeatReply> Heartbeat(Proto.HeartbeatRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.EngineId))
            throw ProtoMapping.Invalid("engine_id is required.");
        if (!registry.Heartbeat(request.EngineId, ProtoMapping.ToLoad(request.Load)))
            throw ProtoMapping.NotFound($"Engine '{request.EngineId}' is not registered (or missed its heartbeats and was dropped); register again.");
        return Task.FromResult(new Proto.HeartbeatReply());
    }

    /// <summary>Idempotent: deregistering an unknown engine succeeds too.</summary>
    public override Task<Proto.DeregisterReply> Deregister(Proto.DeregisterRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.EngineId))
            throw ProtoMapping.Invalid("engine_id is required.");
        registry.Deregister(request.EngineId);
        return Task.FromResult(new Proto.DeregisterReply());
    }

    public override Task<Proto.ListEnginesReply> ListEngines(Proto.ListEnginesRequest request, ServerCallContext context)
    {
        var reply = new Proto.ListEnginesReply();
        foreach (var engine in registry.List(request.Role, request.Model))
            reply.Engines.Add(ProtoMapping.ToRegistered(engine));
        return Task.FromResult(reply);
    }
}
