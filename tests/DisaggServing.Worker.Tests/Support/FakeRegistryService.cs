using DisaggServing.Protocol.KvTransfer;
using Grpc.Core;

namespace DisaggServing.Worker.Tests.Support;

public sealed class FakeRegistryService(FakeKvTransfer fake) : EngineRegistry.EngineRegistryBase
{
    public override Task<RegisterEngineReply> Register(RegisterEngineRequest request, ServerCallContext context)
    {
        fake.Registrations.Enqueue(request.Engine);
        return Task.FromResult(new RegisterEngineReply { HeartbeatIntervalSeconds = fake.HeartbeatIntervalSeconds, ExpirySeconds = 1 });
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        if (fake.TakeHeartbeatRejection(request.EngineId))
            throw new RpcException(new Status(StatusCode.NotFound, "unknown engine"));
        fake.Heartbeats.Enqueue(request);
        return Task.FromResult(new HeartbeatReply());
    }

    public override Task<DeregisterReply> Deregister(DeregisterRequest request, ServerCallContext context)
    {
        fake.Deregistrations.Enqueue(request.EngineId);
        return Task.FromResult(new DeregisterReply());
    }
}
