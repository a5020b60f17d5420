using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Graceful stop of engine pods (<see cref="DrainSettings"/>). On deletion a pod leaves its Services at once and the
/// <c>preStop</c> hook holds SIGTERM while the router drops it (it re-resolves the headless Service every few seconds);
/// a prefill pod also holds for the KV lease, so every decode that was handed its blocks can pull them before the
/// engine goes. SIGTERM then makes vLLM refuse new requests and finish those in flight (<c>--shutdown-timeout</c>).
/// Headless pipeline ranks hold through the leader's drain, since the leader needs them to finish its requests.
/// </summary>
internal static class EngineDrain
{
    /// <summary>Seconds the <c>preStop</c> hook of a pod of this rank waits.</summary>
    public static int PreStopSeconds(ManifestContext context, TopologyPool pool, EngineRank rank)
    {
        var drain = context.Spec.Engine.Drain;
        var hold = Math.Max(0, drain.PreStopSeconds) + LeaseSeconds(context, pool);
        return rank == EngineRank.Worker ? hold + Math.Max(0, drain.ShutdownTimeoutSeconds) : hold;
    }

    /// <summary>The pod's <c>terminationGracePeriodSeconds</c>: hook, drain and margin (equal for every rank of a pool).</summary>
    public static long GracePeriodSeconds(ManifestContext context, TopologyPool pool)
    {
        var drain = context.Spec.Engine.Drain;
        return PreStopSeconds(context, pool, EngineRank.Worker) + Math.Max(0, drain.MarginSeconds);
    }

    /// <summary>The <c>preStop</c> hook: Kubernetes' own sleep action, so the image needs no <c>sleep</c> binary.</summary>
    public static V1Lifecycle Lifecycle(ManifestContext context, TopologyPool pool, EngineRank rank) => new()
    {
        PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = PreStopSeconds(context, pool, rank) } },
    };

    /// <summary>Seconds a prefill pod keeps KV for decodes after it stops taking requests: the KV lease; 0 for other pools.</summary>
    public static int LeaseSeconds(ManifestContext context, TopologyPool pool) =>
        pool.Role == PoolRole.Prefill && context.MovesKv(pool) ? Math.Max(0, context.Spec.KvTransfer.LeaseSeconds) : 0;
}
