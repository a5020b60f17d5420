using Grpc.AspNetCore.Server.Model;

namespace DisaggServing.Worker.Kv;

/// <summary>Binds <see cref="KvPeerService"/> to the <c>KvPeer</c> methods of <see cref="KvPeerMethods"/> (in place of the generated binder).</summary>
public sealed class KvPeerMethodProvider : IServiceMethodProvider<KvPeerService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<KvPeerService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddServerStreamingMethod(KvPeerMethods.ServePullBlocks, [], (service, request, stream, call) => service.PullBlocks(request, stream, call));
        context.AddUnaryMethod(KvPeerMethods.ReleaseLease, [], (service, request, call) => service.ReleaseLease(request, call));
        context.AddUnaryMethod(KvPeerMethods.ExtendLease, [], (service, request, call) => service.ExtendLease(request, call));
    }
}
