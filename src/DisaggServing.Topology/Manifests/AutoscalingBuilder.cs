using System.Globalization;
using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// A KEDA ScaledObject per autoscaled pool, with prometheus triggers on the pool's vLLM metrics: waiting requests per
/// replica (every role), mean KV-cache usage (decode, colocated) and p90 time to first token (prefill, colocated).
/// It scales the pool's Deployment, its LeaderWorkerSet through the LWS scale subresource, or its DisaggregatedSet
/// role through the DisaggregatedSetRoleScaler the controller creates for a role in External scaling mode (the
/// DisaggregatedSet itself has no scale subresource).
/// </summary>
internal static class AutoscalingBuilder
{
    // vLLM's metric names (src/DisaggServing.Protocol/MetricNames.cs; our Worker exposes the same).
    private const string Waiting = "vllm:num_requests_waiting";
    private const string KvCacheUsage = "vllm:kv_cache_usage_perc";
    private const string Ttft = "vllm:time_to_first_token_seconds_bucket";

    /// <summary>The DisaggregatedSet role scaling mode that hands replicas to a scaler object.</summary>
    public const string ExternalScaling = "External";

    public static ScaledObject Build(ManifestContext context, TopologyPool pool, string? disaggregatedSet = null)
    {
        var spec = context.Spec;
        var settings = pool.Autoscaling;
        var target = disaggregatedSet is not null
            ? new ScaleTargetRef { ApiVersion = "disaggregatedset.x-k8s.io/v1", Kind = "DisaggregatedSetRoleScaler", Name = $"{disaggregatedSet}-{pool.Name}" }
            : context.UsesGroups(pool)
                ? new ScaleTargetRef { ApiVersion = "leaderworkerset.x-k8s.io/v1", Kind = "LeaderWorkerSet", Name = pool.Name }
                : new ScaleTargetRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = pool.Name };
        return new ScaledObject
        {
            Metadata = EngineWorkloadBuilder.Meta(context, pool.Name, context.PoolLabels(pool)),
            Spec = new ScaledObjectSpec
            {
                ScaleTargetRef = target,
                PollingInterval = settings.PollingIntervalSeconds,
                MinReplicaCount = settings.MinReplicas,
                MaxReplicaCount = pool.MaxReplicas,
                Advanced = new ScaledObjectAdvanced
                {
                    HorizontalPodAutoscalerConfig = new HorizontalPodAutoscalerConfig
                    {
                        // A GPU replica takes minutes to start: add one at a time, remove one at a time after a long calm.
                        Behavior = new V2HorizontalPodAutoscalerBehavior
                        {
                            ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = 0, Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 120 }] },
                            ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = settings.ScaleDownStabilizationSeconds, Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 300 }] },
                        },
                    },
                },
                Triggers = Triggers(context, pool),
            },
        };
    }

    /// <summary>The prometheus triggers of <paramref name="pool"/>, each selecting its pods by namespace and <c>app.kubernetes.io/instance</c>.</summary>
    public static List<ScaleTrigger> Triggers(ManifestContext context, TopologyPool pool)
    {
        var settings = pool.Autoscaling;
        var selector = $"namespace=\"{context.Spec.Namespace}\",app_kubernetes_io_instance=\"{context.PoolLabels(pool)[Labels.Instance]}\"";
        var triggers = new List<ScaleTrigger>();
        if (settings.WaitingRequestsPerReplica > 0)
            triggers.Add(Trigger(context, "waiting-requests", "AverageValue", $"sum({Waiting}{{{selector}}}) or vector(0)", settings.WaitingRequestsPerReplica));
        if (settings.KvCacheUsage > 0 && pool.Role != PoolRole.Prefill)
            triggers.Add(Trigger(context, "kv-cache-usage", "Value", $"avg({KvCacheUsage}{{{selector}}}) or vector(0)", settings.KvCacheUsage));
        if (settings.TtftP90Seconds > 0 && pool.Role != PoolRole.Decode)
            triggers.Add(Trigger(context, "ttft-p90", "Value", $"(histogram_quantile(0.9, sum by (le) (rate({Ttft}{{{selector}}}[2m]))) > 0) or vector(0)", settings.TtftP90Seconds));
        return triggers;
    }

    private static ScaleTrigger Trigger(ManifestContext context, string name, string metricType, string query, double threshold) => new()
    {
        Type = "prometheus",
        Name = name,
        // AverageValue: the HPA divides the query's value by the replicas; Value: it scales by value / threshold.
        MetricType = metricType,
        Metadata = new Dictionary<string, string>
        {
            ["serverAddress"] = context.Spec.Eks.Prometheus.Address,
            ["query"] = query,
            ["threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
        },
    };
}
