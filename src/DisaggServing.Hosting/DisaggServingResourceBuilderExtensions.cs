using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Aspire builder methods for a disaggregated serving topology: a KV-transfer service, prefill and decode worker
/// pools (one named resource per replica, under a pool resource) and a router wired to them.
/// </summary>
public static class DisaggServingResourceBuilderExtensions
{
    /// <summary>Adds the KV-transfer service (engine registry, KV block index, transfer telemetry).</summary>
    public static IResourceBuilder<ProjectResource> AddKvTransfer<TProject>(this IDistributedApplicationBuilder builder, [ResourceName] string name = "kvtransfer")
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProject<TProject>(name, o => o.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: KnownEndpoints.Http, env: "KvTransfer__HttpPort")
            .WithHttpEndpoint(name: KnownEndpoints.Grpc, env: "KvTransfer__GrpcPort", isProxied: false)
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http);
    }

    /// <summary>Adds a pool of prefill workers.</summary>
    public static IResourceBuilder<WorkerPoolResource> AddPrefillPool<TWorker>(this IDistributedApplicationBuilder builder, [ResourceName] string name, WorkerPoolOptions options)
        where TWorker : IProjectMetadata, new() => builder.AddWorkerPool<TWorker>(name, WorkerRole.Prefill, options);

    /// <summary>Adds a pool of decode workers.</summary>
    public static IResourceBuilder<WorkerPoolResource> AddDecodePool<TWorker>(this IDistributedApplicationBuilder builder, [ResourceName] string name, WorkerPoolOptions options)
        where TWorker : IProjectMetadata, new() => builder.AddWorkerPool<TWorker>(name, WorkerRole.Decode, options);

    /// <summary>
    /// Adds a pool of <paramref name="options"/>.Replicas workers, each its own resource <c>name-i</c> placed on a
    /// virtual node; throws when the model does not fit the GPUs at this TP × PP (naming the pool and the fix).
    /// </summary>
    public static IResourceBuilder<WorkerPoolResource> AddWorkerPool<TWorker>(this IDistributedApplicationBuilder builder, [ResourceName] string name,
        WorkerRole role, WorkerPoolOptions options)
        where TWorker : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var (spec, instance) = Validate(name, options);
        var pool = builder.AddResource(new WorkerPoolResource(name, role, options))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "WorkerPool",
                State = KnownResourceStates.Running,
                Properties = [.. Properties(role, options, spec, placement: null)],
            });
        var placements = ReplicaPlacement.Pack(name, options.Replicas, spec.GpusPerReplica, instance.GpuCount);
        for (var i = 0; i < options.Replicas; i++)
            pool.Resource.Replicas.Add(AddReplica<TWorker>(builder, pool, $"{name}-{i}", role, options, spec, placements[i]));
        return pool;
    }

    /// <summary>Points every replica of <paramref name="pool"/> at the KV-transfer service and starts them after it.</summary>
    public static IResourceBuilder<WorkerPoolResource> WithKvTransfer(this IResourceBuilder<WorkerPoolResource> pool, IResourceBuilder<ProjectResource> kvTransfer)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(kvTransfer);
        foreach (var replica in pool.Resource.Replicas)
            replica.WithEnvironment("Worker__KvTransferUrl", kvTransfer.GetEndpoint(KnownEndpoints.Grpc)).WaitFor(kvTransfer);
        return pool;
    }

    /// <summary>Adds the OpenAI-compatible router on <paramref name="port"/> (8000 by default, as vLLM).</summary>
    public static IResourceBuilder<ProjectResource> AddRouter<TRouter>(this IDistributedApplicationBuilder builder, [ResourceName] string name = "router",
        int? port = 8000, string? model = null)
        where TRouter : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        var router = builder.AddProject<TRouter>(name, o => o.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port, name: KnownEndpoints.Http, env: "Router__Port")
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http)
            .WithExternalHttpEndpoints();
        if (model is not null) router.WithEnvironment("Router__Model", model);
        return router;
    }

    /// <summary>Routes prefill work to <paramref name="pool"/>'s replicas; the router starts once they are healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithPrefill(this IResourceBuilder<ProjectResource> router, IResourceBuilder<WorkerPoolResource> pool) =>
        router.WithPool("Prefill", pool);

    /// <summary>Routes decode work to <paramref name="pool"/>'s replicas; the router starts once they are healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithDecode(this IResourceBuilder<ProjectResource> router, IResourceBuilder<WorkerPoolResource> pool) =>
        router.WithPool("Decode", pool);

    /// <summary>Gives the router the KV-transfer service (KV index lookups for prefix-aware routing).</summary>
    public static IResourceBuilder<ProjectResource> WithKvTransfer(this IResourceBuilder<ProjectResource> router, IResourceBuilder<ProjectResource> kvTransfer)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(kvTransfer);
        return router.WithEnvironment("Router__KvTransferUrl", kvTransfer.GetEndpoint(KnownEndpoints.Grpc)).WaitFor(kvTransfer);
    }

    private static IResourceBuilder<ProjectResource> WithPool(this IResourceBuilder<ProjectResource> router, string key, IResourceBuilder<WorkerPoolResource> pool)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(pool);
        for (var i = 0; i < pool.Resource.Replicas.Count; i++)
        {
            var replica = pool.Resource.Replicas[i];
            router.WithEnvironment($"Router__{key}__{i}", replica.GetEndpoint(KnownEndpoints.Http)).WaitFor(replica);
        }
        return router;
    }

    private static (EngineSpec Spec, InstanceTypeSpec Instance) Validate(string pool, WorkerPoolOptions o)
    {
        try
        {
            if (o.Replicas < 1) throw new InputException($"Replicas must be at least 1; got {o.Replicas}.");
            var instance = InstanceCatalog.Get(o.InstanceType, "InstanceType");
            var spec = new EngineSpec
            {
                Model = ModelCatalog.Get(o.Model, "Model"), Gpu = GpuCatalog.Get(o.Gpu, "Gpu"), TensorParallel = o.Tp, PipelineParallel = o.Pp,
                WeightDtype = DTypes.Parse(o.Dtype, "Dtype"), MaxNumSeqs = o.MaxNumSeqs, MaxNumBatchedTokens = o.MaxNumBatchedTokens,
            }.Validate();
            if (spec.TensorParallel > instance.GpuCount)
                throw new InputException($"TP {spec.TensorParallel} exceeds the {instance.GpuCount} GPUs of {instance.Id}; TP must stay inside one node (use PP across nodes).");
            MemoryModel.RequireFit(spec, instance.GpuCount);
            return (spec, instance);
        }
        catch (InputException e)
        {
            throw new DistributedApplicationException($"Worker pool '{pool}': {e.Message}", e);
        }
    }

    private static IResourceBuilder<ProjectResource> AddReplica<TWorker>(IDistributedApplicationBuilder builder, IResourceBuilder<WorkerPoolResource> pool,
        string name, WorkerRole role, WorkerPoolOptions o, EngineSpec spec, ReplicaPlacement placement)
        where TWorker : IProjectMetadata, new()
    {
        string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        var replica = builder.AddProject<TWorker>(name, p => p.ExcludeLaunchProfile = true)
            .WithParentRelationship(pool)
            // Not proxied: the KV side channel's port travels inside kv_transfer_params, and the router should
            // reach workers without an extra hop.
            .WithHttpEndpoint(name: KnownEndpoints.Http, env: "Worker__HttpPort", isProxied: false)
            .WithHttpEndpoint(name: KnownEndpoints.Kv, env: "Worker__KvPort", isProxied: false)
            .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http)
            .WithEnvironment("Worker__Role", role.ToString().ToLowerInvariant())
            .WithEnvironment("Worker__EngineId", name)
            .WithEnvironment("Worker__Model", o.Model)
            .WithEnvironment("Worker__Gpu", o.Gpu)
            .WithEnvironment("Worker__Tp", F(o.Tp))
            .WithEnvironment("Worker__Pp", F(o.Pp))
            .WithEnvironment("Worker__Dtype", o.Dtype)
            .WithEnvironment("Worker__MaxNumSeqs", F(o.MaxNumSeqs))
            .WithEnvironment("Worker__MaxNumBatchedTokens", F(o.MaxNumBatchedTokens))
            .WithEnvironment("Worker__MaxModelLen", F(o.MaxModelLen))
            .WithEnvironment("Worker__KvPayloadScale", F(o.KvPayloadScale))
            .WithEnvironment("Worker__SpeedFactor", F(o.SpeedFactor))
            .WithEnvironment("Worker__LeaseSeconds", F(o.LeaseSeconds))
            .WithEnvironment("Worker__KvLoadFailurePolicy", o.KvLoadFailurePolicy)
            .WithEnvironment("Worker__Node", placement.Node)
            .WithEnvironment("Worker__GpuIndices", string.Join(",", placement.GpuIndices))
            .WithEnvironment("Worker__AdvertisedHost", "127.0.0.1");
        replica.WithFaultCommands();
        var properties = Properties(role, o, spec, placement);
        builder.Eventing.Subscribe<ResourceReadyEvent>(replica.Resource, (e, _) =>
            e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(replica.Resource, s => s with
            {
                Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("disagg.", StringComparison.Ordinal)), .. properties],
            }));
        return replica;
    }

    private static List<ResourcePropertySnapshot> Properties(WorkerRole role, WorkerPoolOptions o, EngineSpec spec, ReplicaPlacement? placement)
    {
        var plan = MemoryModel.Plan(spec);
        var list = new List<ResourcePropertySnapshot>
        {
            new("disagg.role", role.ToString().ToLowerInvariant()),
            new("disagg.model", o.Model),
            new("disagg.gpu", $"{o.Gpu} ({o.InstanceType})"),
            new("disagg.tp", o.Tp),
            new("disagg.pp", o.Pp),
            new("disagg.replicas", o.Replicas),
            new("disagg.kv_cache_tokens", plan.KvTokens),
        };
        if (placement is not null)
        {
            list.Add(new("disagg.node", placement.Node));
            list.Add(new("disagg.gpu_indices", string.Join(",", placement.GpuIndices)));
        }
        return list;
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
