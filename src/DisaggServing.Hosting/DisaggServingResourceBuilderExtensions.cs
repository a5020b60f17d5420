using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Aspire builder methods that run a <see cref="TopologySpec"/> locally: a KV-transfer service, one worker pool per
/// topology pool (one named resource per replica, under a pool resource, placed by <see cref="TopologyPlacement"/>)
/// and a router wired to them. The topology is checked by preflight when the model is built.
/// </summary>
public static class DisaggServingResourceBuilderExtensions
{
    /// <summary>
    /// Adds the whole topology: preflight (an error fails the AppHost with a <see cref="DistributedApplicationException"/>
    /// naming the pool, the rule and the fix), the KV-transfer service <c>kvtransfer</c> when
    /// <see cref="KvTransferSettings.Enabled"/>, a worker pool per topology pool, and the router <c>router</c> routing
    /// prefill work to the prefill pools and decode work to the decode and colocated ones.
    /// </summary>
    /// <returns>The router.</returns>
    public static IResourceBuilder<RouterResource> AddDisaggTopology<TWorker, TRouter, TKvTransfer>(this IDistributedApplicationBuilder builder, TopologySpec topology)
        where TWorker : IProjectMetadata, new()
        where TRouter : IProjectMetadata, new()
        where TKvTransfer : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(topology);
        TopologyValidation.Ensure(builder, topology);
        // Real engines: find vLLM and the GPUs before anything is added, so a shortfall stops the AppHost at once.
        if (RunsVllm(builder, topology)) LocalVllmPlan.Get(builder, topology);
        var kvTransfer = topology.KvTransfer.Enabled ? builder.AddKvTransfer<TKvTransfer>() : null;
        var router = builder.AddRouter<TRouter>(topology);
        foreach (var pool in topology.Pools)
        {
            var workers = builder.AddWorkerPool<TWorker>(topology, pool.Name);
            if (kvTransfer is not null) workers.WithKvTransfer(kvTransfer);
            if (pool.Role == PoolRole.Prefill) router.WithPrefill(workers);
            else router.WithDecode(workers);
        }

        if (kvTransfer is not null) router.WithKvTransfer(kvTransfer);
        return router;
    }

    /// <summary>Adds the KV-transfer service (engine registry, KV block index, transfer telemetry).</summary>
    public static IResourceBuilder<KvTransferResource> AddKvTransfer<TProject>(this IDistributedApplicationBuilder builder, [ResourceName] string name = "kvtransfer")
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddTypedProject<TProject, KvTransferResource>(new KvTransferResource(name))
            .WithHttpEndpoint(name: KnownEndpoints.Http, env: KvTransferEnvironment.HttpPort)
            .WithHttpEndpoint(name: KnownEndpoints.Grpc, env: KvTransferEnvironment.GrpcPort, isProxied: false)
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http)
            .ExcludeFromManifest(); // published by the EKS environment from the topology, not built as an image here
    }

    /// <summary>Adds the prefill pool <paramref name="pool"/> of <paramref name="topology"/>; see <see cref="AddWorkerPool"/>.</summary>
    public static IResourceBuilder<WorkerPoolResource> AddPrefillPool<TWorker>(this IDistributedApplicationBuilder builder, TopologySpec topology, [ResourceName] string pool = "prefill")
        where TWorker : IProjectMetadata, new() => builder.AddPool<TWorker>(topology, pool, PoolRole.Prefill);

    /// <summary>Adds the decode pool <paramref name="pool"/> of <paramref name="topology"/>; see <see cref="AddWorkerPool"/>.</summary>
    public static IResourceBuilder<WorkerPoolResource> AddDecodePool<TWorker>(this IDistributedApplicationBuilder builder, TopologySpec topology, [ResourceName] string pool = "decode")
        where TWorker : IProjectMetadata, new() => builder.AddPool<TWorker>(topology, pool, PoolRole.Decode);

    /// <summary>
    /// Adds the pool <paramref name="pool"/> of <paramref name="topology"/>: a parent resource of that name and one
    /// Worker resource per replica, <c>pool-0</c>, <c>pool-1</c>, … (a multi-node replica is a LeaderWorkerSet group:
    /// that resource is its leader, with one child per further rank, <c>pool-0-1</c>, …), each placed on a virtual node with GPU indices by
    /// <see cref="TopologyPlacement"/> (as on EKS, unless <see cref="LocalSettings.ShareNodesAcrossRoles"/>) and given
    /// the Worker's configuration (<see cref="WorkerEnvironment"/>). Runs preflight on the topology first.
    /// </summary>
    public static IResourceBuilder<WorkerPoolResource> AddWorkerPool<TWorker>(this IDistributedApplicationBuilder builder, TopologySpec topology, [ResourceName] string pool)
        where TWorker : IProjectMetadata, new() => builder.AddPool<TWorker>(topology, pool, role: null);

    /// <summary>
    /// Points every Worker replica of <paramref name="pool"/> at the KV-transfer service and starts them after it. vLLM
    /// replicas do not register with it; instead the service is told where each publishes its KV events.
    /// </summary>
    public static IResourceBuilder<WorkerPoolResource> WithKvTransfer(this IResourceBuilder<WorkerPoolResource> pool, IResourceBuilder<KvTransferResource> kvTransfer)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(kvTransfer);
        foreach (var replica in pool.Resource.Replicas.OfType<ProjectResource>())
        {
            pool.ApplicationBuilder.CreateResourceBuilder(replica)
                .WithEnvironment(WorkerEnvironment.KvTransferUrl, kvTransfer.Resource.GrpcEndpoint)
                .WaitFor(kvTransfer);
        }

        VllmReplicaExtensions.AddKvEventPublishers(kvTransfer, pool.Resource.Replicas.OfType<VllmEngineResource>());
        return pool;
    }

    /// <summary>
    /// Adds the OpenAI-compatible router on the topology's router port (<see cref="RouterSettings.Port"/>; 0 picks a
    /// free one), serving the model of its decode pools, with the topology's decider threshold.
    /// </summary>
    public static IResourceBuilder<RouterResource> AddRouter<TRouter>(this IDistributedApplicationBuilder builder, TopologySpec topology, [ResourceName] string name = "router")
        where TRouter : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(topology);
        var settings = topology.Router;
        var router = builder.AddTypedProject<TRouter, RouterResource>(new RouterResource(name, topology))
            .WithHttpEndpoint(port: settings.Port > 0 ? settings.Port : null, name: KnownEndpoints.Http, env: RouterEnvironment.Port)
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http)
            .WithExternalHttpEndpoints()
            .WithEnvironment(RouterEnvironment.MinUncachedTokens, settings.DecodeOnlyThresholdTokens.ToString(CultureInfo.InvariantCulture))
            .ExcludeFromManifest();
        if (!string.IsNullOrWhiteSpace(topology.ServedModel)) router.WithEnvironment(RouterEnvironment.Model, topology.ServedModel);
        if (settings.Scorers is { } scorers)
            foreach (var (key, value) in RouterEnvironment.SchedulingProfiles(scorers)) router.WithEnvironment(key, value);
        if (RouterEnvironment.PerEngineConcurrency(topology) is { } perEngine)
            router.WithEnvironment(RouterEnvironment.FlowPerEngineConcurrency, perEngine.ToString(CultureInfo.InvariantCulture));
        return router;
    }

    /// <summary>Routes prefill work to <paramref name="pool"/>'s replicas (<c>Router__Prefill__i</c>); the router starts once they are healthy.</summary>
    public static IResourceBuilder<RouterResource> WithPrefill(this IResourceBuilder<RouterResource> router, IResourceBuilder<WorkerPoolResource> pool) =>
        router.WithPool(prefill: true, pool);

    /// <summary>Routes decode work to <paramref name="pool"/>'s replicas (<c>Router__Decode__i</c>); the router starts once they are healthy.</summary>
    public static IResourceBuilder<RouterResource> WithDecode(this IResourceBuilder<RouterResource> router, IResourceBuilder<WorkerPoolResource> pool) =>
        router.WithPool(prefill: false, pool);

    /// <summary>Gives the router the KV-transfer service (engine discovery and KV index lookups for prefix-aware routing).</summary>
    public static IResourceBuilder<RouterResource> WithKvTransfer(this IResourceBuilder<RouterResource> router, IResourceBuilder<KvTransferResource> kvTransfer)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(kvTransfer);
        return router.WithEnvironment(RouterEnvironment.KvTransferUrl, kvTransfer.Resource.GrpcEndpoint).WaitFor(kvTransfer);
    }

    private static IResourceBuilder<RouterResource> WithPool(this IResourceBuilder<RouterResource> router, bool prefill, IResourceBuilder<WorkerPoolResource> pool)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(pool);
        var targets = router.Resource;
        foreach (var replica in pool.Resource.Replicas)
        {
            // vLLM's side channel is NIXL's, not our KvPeer service: a lease there cannot be released by the router.
            if (replica is VllmEngineResource && !targets.RoutesToVllm)
            {
                targets.RoutesToVllm = true;
                router.WithEnvironment(RouterEnvironment.ReleaseAbandonedLeases, "false");
            }

            var key = prefill ? RouterEnvironment.Prefill(targets.PrefillTargets++) : RouterEnvironment.Decode(targets.DecodeTargets++);
            var endpoint = replica.GetEndpoint(KnownEndpoints.Http);
            router.WithEnvironment(key, endpoint).WaitFor(pool.ApplicationBuilder.CreateResourceBuilder(replica));
        }

        return router;
    }

    private static IResourceBuilder<WorkerPoolResource> AddPool<TWorker>(this IDistributedApplicationBuilder builder, TopologySpec topology, string name, PoolRole? role)
        where TWorker : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var pool = topology.FindPool(name)
            ?? throw new DistributedApplicationException($"Topology '{topology.Name}' has no pool '{name}'; its pools: {string.Join(", ", topology.Pools.Select(p => p.Name))}.");
        if (role is { } wanted && pool.Role != wanted)
            throw new DistributedApplicationException($"Pool '{name}' has role {pool.RoleName}, not {wanted.ToString().ToLowerInvariant()}; add it with Add{pool.Role}Pool or AddWorkerPool.");
        var placement = TopologyValidation.Ensure(builder, topology).LocalPlacement;
        var resolved = ResolvedPool.Resolve(pool); // preflight has checked the catalog entries
        var plan = MemoryModel.Plan(resolved.Engine);
        var parent = builder.AddResource(new WorkerPoolResource(name, pool))
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "WorkerPool",
                State = KnownResourceStates.Running,
                Properties = [.. PoolProperties(resolved, plan.KvTokens), new("disagg.replicas", pool.Replicas)],
            });
        if (RunsVllm(builder, topology))
        {
            var vllm = LocalVllmPlan.Get(builder, topology);
            foreach (var replica in placement.ForPool(name))
                parent.Resource.Replicas.Add(builder.AddVllmReplica(parent, topology, resolved, vllm, replica, ReplicaProperties(resolved, plan.KvTokens, placement, replica)).Resource);
            return parent;
        }

        foreach (var replica in placement.ForPool(name))
            parent.Resource.Replicas.Add(builder.AddReplica<TWorker>(parent, topology, resolved, plan.KvTokens, placement, replica).Resource);
        return parent;
    }

    private static IResourceBuilder<ProjectResource> AddReplica<TWorker>(this IDistributedApplicationBuilder builder, IResourceBuilder<WorkerPoolResource> parent,
        TopologySpec topology, ResolvedPool resolved, long kvTokens, TopologyPlacement placement, ReplicaPlacement replica)
        where TWorker : IProjectMetadata, new()
    {
        var local = topology.Local;
        var node = NodeName(placement, replica.Node);
        var gpuIndices = string.Join(",", replica.GpuIndices);
        var worker = builder.AddProject<TWorker>(replica.Name, p => p.ExcludeLaunchProfile = true)
            .WithParentRelationship(parent)
            .ExcludeFromManifest()
            // Not proxied: the KV side channel's port travels inside kv_transfer_params, and the router should
            // reach workers without an extra hop.
            .WithHttpEndpoint(name: KnownEndpoints.Http, env: WorkerEnvironment.HttpPort, isProxied: false)
            .WithHttpEndpoint(name: KnownEndpoints.Kv, env: WorkerEnvironment.KvPort, isProxied: false)
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http);
        foreach (var (key, value) in WorkerEnvironment.ForPool(topology, resolved))
            worker.WithEnvironment(key, value);
        worker
            .WithEnvironment(WorkerEnvironment.EngineId, replica.Name)
            .WithEnvironment(WorkerEnvironment.Node, node)
            .WithEnvironment(WorkerEnvironment.GpuIndices, gpuIndices)
            .WithEnvironment(WorkerEnvironment.KvPayloadScale, local.KvPayloadScale.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(WorkerEnvironment.SpeedFactor, local.SpeedFactor.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(WorkerEnvironment.KvLoadFailurePolicy, local.KvLoadFailurePolicy.ToString().ToLowerInvariant())
            .WithEnvironment(WorkerEnvironment.AdvertisedHost, "127.0.0.1");
        if (!string.IsNullOrWhiteSpace(local.Profile))
            worker.WithEnvironment(WorkerEnvironment.Profile, Path.GetFullPath(local.Profile.Trim()));
        worker.WithFaultCommands();
        worker.WithTopologyFaultCommands(topology, placement, replica);
        if (resolved.Pool.IsMultiNode)
            builder.AddSimulatedGroup<TWorker>(worker, topology, resolved, placement, replica, PoolProperties(resolved, kvTokens));

        var properties = ReplicaProperties(resolved, kvTokens, placement, replica);
        if (resolved.Pool.IsMultiNode) properties.AddRange([new("disagg.lws_group", replica.Name), new("disagg.lws_worker_index", 0)]);
        builder.Eventing.Subscribe<ResourceReadyEvent>(worker.Resource, (e, _) =>
            e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(worker.Resource, s => s with
            {
                Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("disagg.", StringComparison.Ordinal)), .. properties],
            }));
        return worker;
    }

    /// <summary>Local replicas run vLLM when <c>Topology:Local:Engine</c> says so; publishing never starts them, so it needs no GPUs.</summary>
    private static bool RunsVllm(IDistributedApplicationBuilder builder, TopologySpec topology) =>
        topology.Local.Engine == LocalEngine.Vllm && !builder.ExecutionContext.IsPublishMode;

    /// <summary>What the dashboard shows of a replica: its pool's shape, its (virtual) node and GPU indices, its KV links.</summary>
    private static List<ResourcePropertySnapshot> ReplicaProperties(ResolvedPool resolved, long kvTokens, TopologyPlacement placement, ReplicaPlacement replica)
    {
        List<ResourcePropertySnapshot> properties =
        [
            .. PoolProperties(resolved, kvTokens),
            new("disagg.node", NodeName(placement, replica.Node)),
            new("disagg.gpu_indices", string.Join(",", replica.GpuIndices)),
        ];
        if (KvLinks(placement, replica) is { Length: > 0 } links) properties.Add(new("disagg.kv_links", links));
        return properties;
    }

    internal static string NodeName(TopologyPlacement placement, int node) => FaultDomains.NodeName(placement, node);

    /// <summary>How KV moves between this replica and each replica of the other role: <c>decode-0 nvlink, decode-1 efa</c>.</summary>
    private static string KvLinks(TopologyPlacement placement, ReplicaPlacement replica)
    {
        var peerRole = replica.Role switch { PoolRole.Prefill => PoolRole.Decode, PoolRole.Decode => PoolRole.Prefill, _ => (PoolRole?)null };
        if (peerRole is null) return "";
        return string.Join(", ", placement.Replicas.Where(r => r.Role == peerRole).Select(peer =>
        {
            var link = replica.Role == PoolRole.Prefill ? TopologyPlacement.LinkBetween(replica, peer) : TopologyPlacement.LinkBetween(peer, replica);
            return $"{peer.Name} {link.ToString().ToLowerInvariant()}";
        }));
    }

    internal static IEnumerable<ResourcePropertySnapshot> PoolProperties(ResolvedPool resolved, long kvTokens)
    {
        var pool = resolved.Pool;
        yield return new("disagg.role", pool.RoleName);
        yield return new("disagg.model", pool.Model);
        yield return new("disagg.gpu", $"{resolved.Gpu.Id} ({resolved.Instance.Id})");
        yield return new("disagg.tp", pool.TensorParallel);
        yield return new("disagg.pp", pool.PipelineParallel);
        yield return new("disagg.dtype", $"{resolved.WeightDtype.Name()} weights, {resolved.KvCacheDtype.ToString().ToLowerInvariant()} KV");
        yield return new("disagg.kv_cache_tokens", kvTokens);
        if (resolved.Speculative is { } s) yield return new("disagg.speculation", s.ToString());
    }

    private static void WithFaultCommands(this IResourceBuilder<ProjectResource> replica)
    {
        replica.WithFaultCommand("fail-next-kv-transfer", "Fail next KV transfer", new { fail_next_kv_transfer = true });
        replica.WithFaultCommand("slow-kv-link", "Slow the KV link ×10", new { link_slowdown = 10.0 });
        replica.WithFaultCommand("heal-kv-link", "Restore the KV link", new { link_slowdown = 1.0 });
        replica.WithFaultCommand("crash", "Crash", new { crash = true }, exits: true);
    }

    private static void WithFaultCommand(this IResourceBuilder<ProjectResource> replica, string name, string displayName, object fault, bool exits = false) =>
        replica.WithCommand(name, displayName, async context =>
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(replica.Resource.GetEndpoint(KnownEndpoints.Http).Url) };
                using var response = await http.PostAsJsonAsync("/admin/faults", fault, context.CancellationToken).ConfigureAwait(false);
                return response.IsSuccessStatusCode ? CommandResults.Success() : CommandResults.Failure($"worker answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException) when (exits)
            {
                // The worker may exit before its answer arrives.
                return CommandResults.Success();
            }
            catch (HttpRequestException e)
            {
                return CommandResults.Failure(e.Message);
            }
        }, new CommandOptions
        {
            UpdateState = c => c.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            IconName = "Flash",
        });
}
