using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Planning;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Planning;

/// <summary>
/// A planned cluster as a topology the AppHost runs and publishes: one pool per role on the candidate's instance type,
/// the planned replicas, and KEDA autoscaling from the planned count (the SLO holds at the planned rate) up to twice
/// it (bursts), so each role's NodePool limit covers the maximum.
/// </summary>
public static class PlanTopology
{
    /// <summary>How far above the planned replicas each pool may scale.</summary>
    public const int MaxReplicasFactor = 2;

    /// <summary>
    /// The topology of <paramref name="candidate"/> named <paramref name="name"/>; <paramref name="request"/> gives the
    /// model, dtypes and the router's decode-only threshold the plan simulated.
    /// </summary>
    public static TopologySpec Build(PlanCandidate candidate, PlanRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(request);
        var pools = new List<TopologyPool>();
        if (candidate.Colocated is { } colocated) pools.Add(Pool("engine", PoolRole.Both, colocated, candidate, request));
        if (candidate.Prefill is { } prefill) pools.Add(Pool("prefill", PoolRole.Prefill, prefill, candidate, request));
        if (candidate.Decode is { } decode) pools.Add(Pool("decode", PoolRole.Decode, decode, candidate, request));
        // The engine the plan modelled, so that simulating the topology models it too; a vLLM release the plan modelled
        // is the image the pods run, and so the release the topology is simulated as.
        var engine = new EngineSettings { ServingEngine = request.Engine.Name };
        if (request.Engine.Engine == ServingEngine.Vllm && request.Release is { } release) engine.VllmVersion = $"v{release}";
        return new TopologySpec
        {
            Name = name,
            Namespace = name,
            Pools = pools,
            Router = new RouterSettings { DecodeOnlyThresholdTokens = request.DecodeOnlyThresholdTokens },
            Engine = engine,
        };
    }

    private static TopologyPool Pool(string name, PoolRole role, PlanPool planned, PlanCandidate candidate, PlanRequest request)
    {
        var instance = request.InstanceTypes.First(i => i.Id == candidate.InstanceType);
        var engine = Planner.Engine(request, instance, planned.Tp);
        // The longest context one replica's KV holds (whole KiB of tokens), capped at the model's: vLLM refuses a
        // max-model-len its cache cannot hold.
        var kvTokens = MemoryModel.Plan(engine).KvTokens;
        var maxModelLen = (int)Math.Min(request.Model.MaxContext, kvTokens / 1024 * 1024);
        return new TopologyPool
        {
            Name = name,
            Role = role,
            Model = request.Model.Id,
            InstanceType = candidate.InstanceType,
            TensorParallel = planned.Tp,
            Replicas = planned.Replicas,
            WeightDtype = engine.WeightDtype.Name(),
            // Written out: a topology's empty KV dtype means vLLM's auto (BF16), the plan's the engine's default.
            KvCacheDtype = engine.EffectiveKvDtype.Name(),
            MaxModelLen = maxModelLen > 0 ? maxModelLen : (int)Math.Min(request.Model.MaxContext, kvTokens),
            // The scheduler limits the plan simulated (the engine's defaults on this GPU), written out: the pool's
            // values are what vLLM is launched with and what simulating the topology uses.
            MaxNumSeqs = engine.MaxNumSeqs,
            MaxNumBatchedTokens = engine.MaxNumBatchedTokens,
            Autoscaling = new PoolAutoscaling { MinReplicas = planned.Replicas, MaxReplicas = planned.Replicas * MaxReplicasFactor },
            // The speculation the plan simulated; a prefill pool samples only first tokens and drafts nothing.
            Speculation = request.Speculative is { } s && role != PoolRole.Prefill
                ? new PoolSpeculation
                {
                    Method = SpeculativeDecoding.Name(s.Method), NumSpeculativeTokens = s.DraftTokens, AcceptanceLength = s.AcceptanceLength,
                    DraftModel = request.SpeculativeDraftModel ?? "",
                }
                : new PoolSpeculation(),
        };
    }
}
