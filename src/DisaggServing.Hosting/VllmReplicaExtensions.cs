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
/// publisher, readiness once <c>/v1/models</c> answers, and the model load shown as its state. A multi-node replica
/// (PP &gt; 1) is a LeaderWorkerSet group: one process per rank, each with its own GPUs, the leader serving.
/// </summary>
internal static class VllmReplicaExtensions
{
    /// <summary>The host every local engine advertises and is reached on.</summary>
    public const string LocalHost = "127.0.0.1";

    public static IResourceBuilder<VllmEngineResource> AddVllmReplica(this IDistributedApplicationBuilder builder, IResourceBuilder<WorkerPoolResource> parent,
        TopologySpec topology, ResolvedPool resolved, LocalVllmPlan plan, ReplicaPlacement replica, IEnumerable<ResourcePropertySnapshot> properties)
    {
        var pool = resolved.Pool;
        var resolvedTopology = TopologyValidation.Ensure(builder, topology);
        var (engine, shown) = builder.AddVllmRank(parent.Resource, topology, pool, plan, replica, replica.Pods[0]);
        var resource = engine.Resource;
        engine
            // Not proxied: the router and the KV-transfer service reach vLLM directly, and vLLM binds the port itself.
            .WithHttpEndpoint(name: KnownEndpoints.Http, isProxied: false)
            .WithEndpoint(name: KnownEndpoints.KvEvents, scheme: "tcp", isProxied: false)
            .WithUrlForEndpoint(KnownEndpoints.Http, _ => new ResourceUrlAnnotation { Url = "/metrics", DisplayText = "vLLM metrics" });
        if (!pool.IsMultiNode)
        {
            engine.WithArgs(context =>
            {
                foreach (var arg in plan.LeadingArgs) context.Args.Add(arg);
                context.Args.Add("serve");
                foreach (var arg in VllmArgs.ForLocal(resolvedTopology, pool, PortOf(resource.HttpEndpoint), PortOf(resource.KvEventsEndpoint)))
                    context.Args.Add(arg);
            });
        }
        else
        {
            // A LeaderWorkerSet group: this is its leader (rank 0, serves); each further rank is a headless vLLM of its own.
            engine.WithEndpoint(name: KnownEndpoints.Dist, scheme: "tcp", isProxied: false);
            var dist = new EndpointReference(resource, KnownEndpoints.Dist);
            engine.WithArgs(context =>
            {
                foreach (var arg in plan.LeadingArgs) context.Args.Add(arg);
                context.Args.Add("serve");
                foreach (var arg in VllmArgs.ForLocalRank(resolvedTopology, pool, 0, PortOf(resource.HttpEndpoint), PortOf(resource.KvEventsEndpoint), LwsGroups.LeaderAddress, PortOf(dist)))
                    context.Args.Add(arg);
            });
            var workers = new List<IResource>();
            foreach (var pod in replica.Pods.Where(p => p.Rank > 0))
            {
                var (rank, rankShown) = builder.AddVllmRank(resource, topology, pool, plan, replica, pod);
                rank.WithArgs(async context =>
                {
                    // The leader's ports, allocated with every endpoint before any process starts.
                    var port = await PortAsync(resource.HttpEndpoint, context.CancellationToken).ConfigureAwait(false);
                    var masterPort = await PortAsync(dist, context.CancellationToken).ConfigureAwait(false);
                    foreach (var arg in plan.LeadingArgs) context.Args.Add(arg);
                    context.Args.Add("serve");
                    foreach (var arg in VllmArgs.ForLocalRank(resolvedTopology, pool, pod.Rank, port, kvEventsPort: null, LwsGroups.LeaderAddress, masterPort))
                        context.Args.Add(arg);
                });
                List<ResourcePropertySnapshot> rankProperties = [.. DisaggServingResourceBuilderExtensions.PoolProperties(resolved, 0).Where(p => p.Name != "disagg.kv_cache_tokens"), .. rankShown];
                builder.Eventing.Subscribe<ResourceReadyEvent>(rank.Resource, (e, _) =>
                    e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(rank.Resource, s => s with
                    {
                        Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("disagg.", StringComparison.Ordinal)), .. rankProperties],
                    }));
                workers.Add(rank.Resource);
            }

            LwsGroups.AddGroup(builder, resource, workers);
        }

        var check = $"{replica.Name}-vllm-ready";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(check, _ => new VllmReadinessCheck(resource), HealthStatus.Unhealthy, tags: null));
        engine.WithHealthCheck(check);
        return engine.WithModelLoadingState([.. properties, .. shown]);
    }

    /// <summary>
    /// One vLLM process of a replica: pipeline rank <paramref name="pod"/> (the only one of a single-node replica) with
    /// its own GPUs, its NIXL side-channel ports and, in a group, the LeaderWorkerSet environment. Ranks above 0 are
    /// children of the leader <paramref name="parent"/>.
    /// </summary>
    private static (IResourceBuilder<VllmEngineResource> Engine, List<ResourcePropertySnapshot> Shown) AddVllmRank(this IDistributedApplicationBuilder builder, IResource parent,
        TopologySpec topology, TopologyPool pool, LocalVllmPlan plan, ReplicaPlacement replica, PodPlacement pod)
    {
        var gpus = plan.Gpus.For(replica.Name, pod.Rank);
        // vLLM listens on VLLM_NIXL_SIDE_CHANNEL_PORT + local TP rank: each rank starts past the GPUs of the ranks before it.
        var sideChannelPort = plan.SideChannelPort(replica.Name) + replica.Pods.Where(p => p.Rank < pod.Rank).Sum(p => p.Gpus.Count);
        var name = LwsGroups.RankName(replica, pod.Rank);
        var resource = new VllmEngineResource(name, plan.Program, builder.AppHostDirectory, pool, gpus, sideChannelPort);
        var devices = string.Join(",", gpus.Select(g => g.Index.ToString(CultureInfo.InvariantCulture)));
        var engine = builder.AddResource(resource)
            .WithParentRelationship(parent)
            .ExcludeFromManifest()
            // nvidia-smi numbers GPUs in PCI bus order; CUDA's default order (fastest first) may differ, so say which.
            // Indices, not UUIDs: vLLM maps CUDA_VISIBLE_DEVICES entries to physical devices with int().
            .WithEnvironment("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
            .WithEnvironment("CUDA_VISIBLE_DEVICES", devices)
            .WithEnvironment("PYTHONUNBUFFERED", "1"); // log lines reach the dashboard as vLLM writes them
        foreach (var (key, value) in pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
            engine.WithEnvironment(key, value);
        if (pool.IsMultiNode) engine.WithLwsEnvironment(pool, pod.Rank);
        var sideChannel = "";
        if (topology.IsDisaggregated && pool.Role != PoolRole.Both)
        {
            engine.WithEnvironment("VLLM_NIXL_SIDE_CHANNEL_HOST", LocalHost)
                .WithEnvironment("VLLM_NIXL_SIDE_CHANNEL_PORT", sideChannelPort.ToString(CultureInfo.InvariantCulture));
            var last = sideChannelPort + gpus.Count - 1;
            sideChannel = last == sideChannelPort ? $"{LocalHost}:{sideChannelPort}" : $"{LocalHost}:{sideChannelPort}-{last}";
        }

        List<ResourcePropertySnapshot> shown =
        [
            new("disagg.engine", "vllm"),
            new("disagg.cuda_visible_devices", devices),
            new("disagg.local_gpus", string.Join("; ", gpus.Select(g => $"{g.Index}: {g.Name} ({g.Uuid})"))),
        ];
        if (sideChannel.Length > 0) shown.Add(new("disagg.nixl_side_channel", sideChannel));
        if (pool.IsMultiNode) shown.AddRange([new("disagg.lws_group", replica.Name), new("disagg.lws_worker_index", pod.Rank)]);
        return (engine, shown);
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

    private static async Task<int> PortAsync(EndpointReference endpoint, CancellationToken cancellationToken) =>
        int.Parse(await endpoint.Property(EndpointProperty.TargetPort).GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
}
