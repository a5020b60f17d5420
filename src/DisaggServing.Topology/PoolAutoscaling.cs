namespace DisaggServing.Topology;

/// <summary>
/// Autoscaling of one pool by KEDA on the engines' vLLM metrics, read from Prometheus: a ScaledObject whose
/// prometheus triggers scale the pool's Deployment, LeaderWorkerSet (through its scale subresource) or
/// DisaggregatedSet role (through the DisaggregatedSetRoleScaler the controller creates for an External role).
/// Off while <see cref="MaxReplicas"/> is 0, as in vLLM production-stack's chart (<c>keda.enabled: false</c>).
/// A trigger whose threshold is 0 is left out; each applies to the roles it describes.
/// </summary>
public sealed class PoolAutoscaling
{
    /// <summary>Fewest replicas (1 or more: a GPU engine takes minutes to load, and with none there is no queue to measure).</summary>
    public int MinReplicas { get; set; } = 1;

    /// <summary>Most replicas; 0 turns autoscaling off. The pool's NodePool limit is sized for this many.</summary>
    public int MaxReplicas { get; set; }

    /// <summary>Requests waiting per replica (<c>vllm:num_requests_waiting</c>, averaged over replicas) above which the pool grows; every role.</summary>
    public double WaitingRequestsPerReplica { get; set; } = 5;

    /// <summary>Mean KV-cache usage (<c>vllm:kv_cache_usage_perc</c>, 0..1) above which the pool grows; decode and colocated pools.</summary>
    public double KvCacheUsage { get; set; } = 0.8;

    /// <summary>p90 time to first token in seconds (<c>vllm:time_to_first_token_seconds</c> over 2 minutes) above which the pool grows; prefill and colocated pools.</summary>
    public double TtftP90Seconds { get; set; } = 2;

    /// <summary>Seconds between KEDA's metric queries.</summary>
    public int PollingIntervalSeconds { get; set; } = 15;

    /// <summary>Seconds the replica count recommended must stay lower before the pool shrinks (the HPA's scale-down stabilization); then one replica at a time.</summary>
    public int ScaleDownStabilizationSeconds { get; set; } = 600;
}
