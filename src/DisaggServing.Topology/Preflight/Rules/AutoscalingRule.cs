namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>An autoscaled pool has a sane replica range, a trigger for its role, and a Prometheus to ask.</summary>
internal sealed class AutoscalingRule : PreflightRule
{
    public override string Id => "autoscaling";

    public override string Description => "An autoscaled pool has 1 ≤ MinReplicas ≤ Replicas ≤ MaxReplicas, a trigger for its role and a Prometheus address.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools.Where(p => p.Autoscales))
        {
            var a = pool.Autoscaling;
            if (a.MinReplicas < 1)
                yield return Error(pool.Name, $"Autoscaling:MinReplicas is {a.MinReplicas}; with no engine there is no vLLM queue to scale back up on, and a GPU engine takes minutes to load.", "Set MinReplicas to 1 or more.");
            else if (a.MinReplicas > a.MaxReplicas)
                yield return Error(pool.Name, $"Autoscaling:MinReplicas ({a.MinReplicas}) is above MaxReplicas ({a.MaxReplicas}).", "Raise MaxReplicas or lower MinReplicas.");
            if (pool.Replicas > a.MaxReplicas || pool.Replicas < a.MinReplicas)
                yield return Error(pool.Name, $"Replicas ({pool.Replicas}) is outside the autoscaling range {a.MinReplicas}..{a.MaxReplicas}.", "Set Replicas (the count before the autoscaler acts) within MinReplicas..MaxReplicas.");
            var triggers = (a.WaitingRequestsPerReplica > 0 ? 1 : 0)
                + (a.KvCacheUsage > 0 && pool.Role != PoolRole.Prefill ? 1 : 0)
                + (a.TtftP90Seconds > 0 && pool.Role != PoolRole.Decode ? 1 : 0);
            if (triggers == 0)
                yield return Error(pool.Name, $"every autoscaling trigger for role {pool.RoleName} is off (threshold 0).", "Set WaitingRequestsPerReplica, or KvCacheUsage (decode) / TtftP90Seconds (prefill), above 0.");
            if (a.KvCacheUsage > 1)
                yield return Error(pool.Name, $"Autoscaling:KvCacheUsage is {a.KvCacheUsage}; vllm:kv_cache_usage_perc is a fraction in 0..1.", "Set KvCacheUsage to e.g. 0.8.");
            if (a.PollingIntervalSeconds < 1 || a.ScaleDownStabilizationSeconds < 0 || a.ScaleDownStabilizationSeconds > 3600)
                yield return Error(pool.Name, "Autoscaling:PollingIntervalSeconds must be 1 or more and ScaleDownStabilizationSeconds 0..3600 (the HPA's bounds).", "Fix the interval settings.");
        }

        if (context.Spec.Pools.Any(p => p.Autoscales) && !Uri.TryCreate(context.Spec.Eks.Prometheus.Address, UriKind.Absolute, out _))
            yield return Error(null, $"Eks:Prometheus:Address '{context.Spec.Eks.Prometheus.Address}' is not an absolute URL; KEDA's prometheus triggers query it.", "Set it to the in-cluster Prometheus, e.g. http://prometheus-operated.monitoring.svc:9090.");
    }
}
