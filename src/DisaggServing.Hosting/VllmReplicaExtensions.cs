using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// A replica as a real <c>vllm serve</c> process (<c>Topology:Local:Engine=Vllm</c>): the published pod's arguments
/// (<see cref="VllmArgs"/>) on an allocated port, its own GPUs, NIXL over UCX with a side channel of its own, a KV-event
/// publisher, readiness once <c>/v1/models</c> answers, and the model load shown as its state.
/// </summary>
internal static class VllmReplicaExtensions
{
    /// <summary>The host every local engine advertises and is reached on.</summary>
    public const string LocalHost = "127.0.0.1";

    public static IResourceBuilder<VllmEngineResource> AddVllmReplica(this IDistributedApplicationBuilder builder, IResourceBuilder<WorkerPoolResource> parent,
        TopologySpec topology, ResolvedPool resolved, LocalVllmPlan plan, ReplicaPlacement replica, IEnumerable<ResourcePropertySnapshot> properties)
    {
        var pool = resolved.Pool;
        var gpus = plan.Gpus.For(replica.Name);
        var sideChannelPort = plan.SideChannelPort(replica.Name);
        var resource = new VllmEngineResource(replica.Name, plan.Program, builder.AppHostDirectory, pool, gpus, sideChannelPort);
        var devices = string.Join(",", gpus.Select(g => g.Index.ToString(CultureInfo.InvariantCulture)));
        var resolvedTopology = TopologyValidation.Ensure(builder, topology);
        var engine = builder.AddResource(resource)
            .WithParentRelationship(parent)
            .ExcludeFromManifest()
            // Not proxied: the router and the KV-transfer service reach vLLM directly, and vLLM binds the port itself.
            .WithHttpEndpoint(name: KnownEndpoints.Http, isProxied: false)
            .WithEndpoint(name: KnownEndpoints.KvEvents, scheme: "tcp", isProxied: false)
            .WithUrlForEndpoint(KnownEndpoints.Http, _ => new ResourceUrlAnnotation { Url = "/metrics", DisplayText = "vLLM metrics" })
            .WithArgs(context =>
            {
                foreach (var arg in plan.LeadingArgs) context.Args.Add(arg);
                context.Args.Add("serve");
                foreach (var arg in VllmArgs.ForLocal(resolvedTopology, pool, PortOf(resource.HttpEndpoint), PortOf(resource.KvEventsEndpoint)))
                    context.Args.Add(arg);
            })
            // nvidia-smi numbers GPUs in PCI bus order; CUDA's default order (fastest first) may differ, so say which.
            // Indices, not UUIDs: vLLM maps CUDA_VISIBLE_DEVICES entries to physical devices with int().
            .WithEnvironment("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
            .WithEnvironment("CUDA_VISIBLE_DEVICES", devices)
            .WithEnvironment("PYTHONUNBUFFERED", "1"); // log lines reach the dashboard as vLLM writes them
        foreach (var (key, value) in pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
            engine.WithEnvironment(key, value);
        var sideChannel = "";
        if (topology.IsDisaggregated && pool.Role != PoolRole.Both)
        {
            engine.WithEnvironment("VLLM_NIXL_SIDE_CHANNEL_HOST", LocalHost)
                .WithEnvironment("VLLM_NIXL_SIDE_CHANNEL_PORT", sideChannelPort.ToString(CultureInfo.InvariantCulture));
            var last = sideChannelPort + gpus.Count - 1;
            sideChannel = last == sideChannelPort ? $"{LocalHost}:{sideChannelPort}" : $"{LocalHost}:{sideChannelPort}-{last}";
        }

        var check = $"{replica.Name}-vllm-ready";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(check, _ => new VllmReadinessCheck(resource), HealthStatus.Unhealthy, tags: null));
        engine.WithHealthCheck(check);

        List<ResourcePropertySnapshot> shown =
        [
            .. properties,
            new("disagg.engine", "vllm"),
            new("disagg.cuda_visible_devices", devices),
            new("disagg.local_gpus", string.Join("; ", gpus.Select(g => $"{g.Index}: {g.Name} ({g.Uuid})"))),
        ];
        if (sideChannel.Length > 0) shown.Add(new("disagg.nixl_side_channel", sideChannel));
        return engine.WithModelLoadingState(shown);
    }

    /// <summary>
    /// Tells the KV-transfer service where each of <paramref name="engines"/> publishes its KV events
    /// (<c>KvTransfer__KvEvents__Publishers__i__EngineId</c> = the engine's <c>host:port</c> as the router addresses it,
    /// <c>…__Endpoint</c> = its ZMQ publisher).
    /// </summary>
    public static void AddKvEventPublishers(IResourceBuilder<KvTransferResource> kvTransfer, IEnumerable<VllmEngineResource> engines)
    {
        foreach (var engine in engines)
        {
            var i = kvTransfer.Resource.KvEventPublishers++;
            kvTransfer
                .WithEnvironment(KvTransferEnvironment.KvEventsPublisherEngineId(i), ReferenceExpression.Create($"{LocalHost}:{engine.HttpEndpoint.Property(EndpointProperty.Port)}"))
                .WithEnvironment(KvTransferEnvironment.KvEventsPublisherEndpoint(i), ReferenceExpression.Create($"tcp://{LocalHost}:{engine.KvEventsEndpoint.Property(EndpointProperty.Port)}"));
        }
    }

    private static int PortOf(EndpointReference endpoint) => endpoint.TargetPort ?? endpoint.Port;
}
