using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// A cluster to simulate: disaggregated (prefill and decode pools, KV moved between them) or colocated (one pool
/// doing both), the router's scheduling profiles, and the scheduler's admission policy.
/// </summary>
public sealed record ClusterSpec
{
    /// <summary>Prefill pool (disaggregated mode).</summary>
    public PoolSpec? Prefill { get; init; }

    /// <summary>Decode pool (disaggregated mode).</summary>
    public PoolSpec? Decode { get; init; }

    /// <summary>Colocated pool (each replica prefills and decodes).</summary>
    public PoolSpec? Colocated { get; init; }

    /// <summary>The router's decode and prefill profiles (its defaults unless the topology or <c>--routing</c> says otherwise).</summary>
    public RoutingProfiles Routing { get; init; } = RoutingProfiles.PrefixAware;

    /// <summary>How engines admit requests: vLLM's on-demand allocation or TensorRT-LLM's reserve-full.</summary>
    public AdmissionPolicy Admission { get; init; } = AdmissionPolicy.OnDemand;

    /// <summary>
    /// The router's P/D decider (Router:Decider:MinUncachedTokens): a request whose uncached prompt tokens on the chosen
    /// decode engine are fewer skips prefill, and the decode engine prefills it locally. 0 sends every request through prefill.
    /// </summary>
    public int DecodeOnlyThresholdTokens { get; init; }

    /// <summary>Node type replicas are packed onto; null picks the catalog's first instance with the GPU.</summary>
    public InstanceTypeSpec? InstanceType { get; init; }

    /// <summary>True in prefill/decode mode.</summary>
    public bool IsDisaggregated => Prefill is not null;

    /// <summary>GPUs the whole cluster occupies.</summary>
    public int Gpus => (Prefill?.Gpus ?? 0) + (Decode?.Gpus ?? 0) + (Colocated?.Gpus ?? 0);

    /// <summary>Throws an <see cref="InputException"/> unless exactly one of the two modes is fully given.</summary>
    public ClusterSpec Validate()
    {
        if (Colocated is not null && (Prefill is not null || Decode is not null))
            throw new InputException("Give either --prefill and --decode, or --colocated, not both.");
        if (Colocated is null && (Prefill is null || Decode is null))
            throw new InputException("Give both --prefill N:TP and --decode M:TP (disaggregated), or --colocated K:TP.");
        if (Routing is null) throw new InputException("The cluster has no routing profiles; leave Routing unset for the router's defaults.");
        if (DecodeOnlyThresholdTokens < 0)
            throw new InputException($"The decode-only threshold must be 0 or more tokens; got {DecodeOnlyThresholdTokens}.");
        foreach (var pool in new[] { Prefill, Decode, Colocated })
            if (pool?.Nodes is { } nodes && nodes.Count != pool.Replicas)
                throw new InputException($"A pool of {pool.Replicas} replicas was placed on {nodes.Count} nodes; give one node per replica.");
        return this;
    }
}
