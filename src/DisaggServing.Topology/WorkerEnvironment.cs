using System.Globalization;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology;

/// <summary>
/// The Worker's configuration contract as environment variables (ASP.NET configuration, so <c>Worker__Tp</c> is
/// <c>Worker:Tp</c>). One list for both places that launch Workers: the AppHost's local replicas and the
/// staging-cluster manifests (<see cref="EngineKind.Worker"/>).
/// </summary>
public static class WorkerEnvironment
{
    /// <summary><c>prefill</c>, <c>decode</c> or <c>both</c>.</summary>
    public const string Role = "Worker__Role";

    /// <summary>Unique engine id (the replica or pod name).</summary>
    public const string EngineId = "Worker__EngineId";

    /// <summary>Hugging Face id of the model, from the engine catalog.</summary>
    public const string Model = "Worker__Model";

    /// <summary>GPU id from the engine catalog.</summary>
    public const string Gpu = "Worker__Gpu";

    /// <summary>Tensor-parallel size.</summary>
    public const string Tp = "Worker__Tp";

    /// <summary>Pipeline-parallel size.</summary>
    public const string Pp = "Worker__Pp";

    /// <summary>Weight dtype: <c>fp8</c> or <c>bf16</c>.</summary>
    public const string Dtype = "Worker__Dtype";

    /// <summary>KV-cache dtype: <c>fp8</c> or <c>bf16</c>.</summary>
    public const string KvCacheDtype = "Worker__KvCacheDtype";

    /// <summary>vLLM's --max-num-seqs.</summary>
    public const string MaxNumSeqs = "Worker__MaxNumSeqs";

    /// <summary>vLLM's --max-num-batched-tokens.</summary>
    public const string MaxNumBatchedTokens = "Worker__MaxNumBatchedTokens";

    /// <summary>vLLM's --gpu-memory-utilization.</summary>
    public const string GpuMemoryUtilization = "Worker__GpuMemoryUtilization";

    /// <summary>vLLM's --max-cudagraph-capture-size, where the pool sets one (the largest step replayed from a CUDA graph).</summary>
    public const string CudaGraphMaxBatch = "Worker__CudaGraphMaxBatch";

    /// <summary>vLLM's --max-model-len.</summary>
    public const string MaxModelLen = "Worker__MaxModelLen";

    /// <summary>The (virtual) node the engine runs on: engines on one node move KV over NVLink, else over EFA.</summary>
    public const string Node = "Worker__Node";

    /// <summary>GPU indices on the node, comma-separated.</summary>
    public const string GpuIndices = "Worker__GpuIndices";

    /// <summary>Fraction of the real KV bytes materialized and moved.</summary>
    public const string KvPayloadScale = "Worker__KvPayloadScale";

    /// <summary>Simulated seconds per wall-clock second.</summary>
    public const string SpeedFactor = "Worker__SpeedFactor";

    /// <summary>
    /// The serving engine the Worker models (<c>vllm</c>, <c>sglang</c> or <c>trtllm</c>; default <c>vllm</c>): its
    /// scheduler defaults and host costs. A <see cref="Profile"/> names its own engine and wins.
    /// </summary>
    public const string Engine = "Worker__Engine";

    /// <summary>The engine release modelled (<see cref="EngineSettings.ModelledRelease"/>): its defaults (<c>--engine-version</c>); unset for today's.</summary>
    public const string EngineVersion = "Worker__EngineVersion";

    /// <summary>Profile file (<c>disagg calibrate --fit</c>) whose engine and fitted constants time the steps.</summary>
    public const string Profile = "Worker__Profile";

    /// <summary>Speculative decoding's drafter (<see cref="PoolSpeculation.Method"/>); unset decodes one token a step.</summary>
    public const string SpeculativeMethod = "Worker__SpeculativeMethod";

    /// <summary>Draft tokens verified a step (<see cref="PoolSpeculation.NumSpeculativeTokens"/>).</summary>
    public const string NumSpeculativeTokens = "Worker__NumSpeculativeTokens";

    /// <summary>Tokens a decode gains per verifying step (<see cref="PoolSpeculation.AcceptanceLength"/>).</summary>
    public const string AcceptanceLength = "Worker__AcceptanceLength";

    /// <summary>Seconds a prefill engine keeps KV blocks for a decode engine that has not pulled them.</summary>
    public const string LeaseSeconds = "Worker__LeaseSeconds";

    /// <summary><c>recompute</c> or <c>fail</c> (vLLM's kv_load_failure_policy).</summary>
    public const string KvLoadFailurePolicy = "Worker__KvLoadFailurePolicy";

    /// <summary>Host put into kv_transfer_params.remote_host and the engine registry.</summary>
    public const string AdvertisedHost = "Worker__AdvertisedHost";

    /// <summary>OpenAI/vLLM API port.</summary>
    public const string HttpPort = "Worker__HttpPort";

    /// <summary>KV side-channel port (h2c gRPC).</summary>
    public const string KvPort = "Worker__KvPort";

    /// <summary>h2c URL of the KV-transfer service.</summary>
    public const string KvTransferUrl = "Worker__KvTransferUrl";

    /// <summary>
    /// The port a group's leader takes its ranks' joins on (vLLM's <c>--master-port</c>, torch.distributed's store):
    /// the leader listens on it, the other ranks connect to it at <see cref="LwsLeaderAddress"/>.
    /// </summary>
    public const string MasterPort = "Worker__MasterPort";

    /// <summary>The group leader's address, which LeaderWorkerSet injects into every pod of a group.</summary>
    public const string LwsLeaderAddress = "LWS_LEADER_ADDRESS";

    /// <summary>The number of pods in a group (leader included), which LeaderWorkerSet injects.</summary>
    public const string LwsGroupSize = "LWS_GROUP_SIZE";

    /// <summary>A pod's index in its group (0 is the leader), which LeaderWorkerSet injects.</summary>
    public const string LwsWorkerIndex = "LWS_WORKER_INDEX";

    /// <summary>
    /// What every replica of <paramref name="pool"/> shares: role, model, GPU, TP, PP, dtypes, batch limits, memory,
    /// context length (the model's own when the pool leaves it 0), the KV lease and the serving engine modelled
    /// (the topology's <see cref="EngineSettings.ServingEngine"/>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForPool(TopologySpec spec, ResolvedPool pool)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pool);
        var p = pool.Pool;
        return
        [
            new(Role, p.RoleName),
            new(Model, p.Model),
            new(Gpu, pool.Gpu.Id),
            new(Tp, Invariant(p.TensorParallel)),
            new(Pp, Invariant(p.PipelineParallel)),
            new(Dtype, pool.WeightDtype.Name()),
            new(KvCacheDtype, pool.KvCacheDtype.Name()),
            new(MaxNumSeqs, Invariant(p.MaxNumSeqs)),
            new(MaxNumBatchedTokens, Invariant(p.MaxNumBatchedTokens)),
            new(GpuMemoryUtilization, Invariant(p.GpuMemoryUtilization)),
            .. pool.Engine.CudaGraphMaxBatch is { } graphs ? [new KeyValuePair<string, string>(CudaGraphMaxBatch, Invariant(graphs))] : Array.Empty<KeyValuePair<string, string>>(),
            new(MaxModelLen, Invariant(p.MaxModelLen > 0 ? p.MaxModelLen : pool.Model.MaxContext)),
            new(LeaseSeconds, Invariant(spec.KvTransfer.LeaseSeconds)),
            new(Engine, spec.Engine.ServingProfile().Name),
            .. spec.Engine.ModelledRelease() is { } release ? [new KeyValuePair<string, string>(EngineVersion, release.ToString())] : Array.Empty<KeyValuePair<string, string>>(),
            .. pool.Speculative is { } s
                ? [new(SpeculativeMethod, SpeculativeDecoding.Name(s.Method)), new(NumSpeculativeTokens, Invariant(s.DraftTokens)), new KeyValuePair<string, string>(AcceptanceLength, Invariant(s.AcceptanceLength))]
                : Array.Empty<KeyValuePair<string, string>>(),
        ];
    }

    /// <summary>
    /// What LeaderWorkerSet injects into pod <paramref name="workerIndex"/> of a group of <paramref name="groupSize"/>
    /// whose leader is at <paramref name="leaderAddress"/> (those three variables, no others: the group's name and
    /// index are pod labels, not environment).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForRank(string leaderAddress, int groupSize, int workerIndex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leaderAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workerIndex, groupSize);
        return
        [
            new(LwsLeaderAddress, leaderAddress),
            new(LwsGroupSize, Invariant(groupSize)),
            new(LwsWorkerIndex, Invariant(workerIndex)),
        ];
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
