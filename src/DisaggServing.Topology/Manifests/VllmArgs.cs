using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// The <c>vllm serve</c> arguments a pool implies, in the seed's order first, then serving, KV and multi-node ones: one
/// list for the published manifests and the AppHost's local vLLM processes, so both run the same engine.
/// </summary>
public static class VllmArgs
{
    /// <summary>Where LeaderWorkerSet puts the leader's address and a pod's worker index (env it injects into every pod).</summary>
    internal const string LeaderAddress = "$(LWS_LEADER_ADDRESS)";
    internal const string WorkerIndex = "$(LWS_WORKER_INDEX)";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The arguments of a pod of <paramref name="pool"/>: the engine port, the topology's NIXL backend.</summary>
    internal static List<string> For(ManifestContext context, TopologyPool pool, EngineRank rank) =>
        Build(context, pool, rank, context.Spec.Engine.Port, context.Spec.KvTransfer.NixlBackend,
            // The engine's scheduler (leader or single pod) publishes KV events for the KV-transfer service's index.
            context.Spec.KvTransfer.Enabled && rank != EngineRank.Worker ? context.Spec.KvTransfer.KvEventsPort : null,
            new GroupAddress(LeaderAddress, WorkerIndex, context.Spec.Engine.MasterPort), published: true);

    /// <summary>
    /// The arguments after <c>vllm serve</c> of one replica of <paramref name="pool"/> run on this machine: those of its
    /// published pod, listening on <paramref name="port"/>, with NIXL over UCX (the backend for GPUs of one host: shared
    /// memory and CUDA IPC; LIBFABRIC is for EFA between EC2 nodes), and publishing KV events on
    /// <c>tcp://*:<paramref name="kvEventsPort"/></c> when a port is given. A multi-node pool (PP &gt; 1) runs one process
    /// per rank: see <see cref="ForLocalRank"/>.
    /// </summary>
    public static IReadOnlyList<string> ForLocal(TopologySpec spec, TopologyPool pool, int port, int? kvEventsPort = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ForLocal(ResolvedTopology.Resolve(spec), pool, port, kvEventsPort);
    }

    /// <summary>As <see cref="ForLocal(TopologySpec, TopologyPool, int, int?)"/>, for an already resolved topology.</summary>
    public static IReadOnlyList<string> ForLocal(ResolvedTopology topology, TopologyPool pool, int port, int? kvEventsPort = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (kvEventsPort is { } events && events is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(kvEventsPort), events, "A TCP port is 1-65535.");
        if (pool.IsMultiNode) throw new ArgumentException($"Pool '{pool.Name}' spans {pool.EffectiveLwsSize} nodes (PP {pool.PipelineParallel}); it runs one process per rank (ForLocalRank).", nameof(pool));
        return Build(new ManifestContext(topology), pool, EngineRank.Single, port, NixlBackend.Ucx, kvEventsPort, group: null, published: false);
    }

    /// <summary>
    /// The arguments after <c>vllm serve</c> of rank <paramref name="workerIndex"/> of one group of the multi-node pool
    /// <paramref name="pool"/> run on this machine: what the published leader (rank 0) or worker container runs, with
    /// the values LeaderWorkerSet would put in <c>$(LWS_LEADER_ADDRESS)</c> and <c>$(LWS_WORKER_INDEX)</c> written out
    /// (<paramref name="leaderAddress"/>, the rank) and the leader's torch.distributed port <paramref name="masterPort"/>.
    /// Ranks above 0 are headless: they take the leader's <paramref name="port"/> (which they never bind) and publish no KV events.
    /// </summary>
    public static IReadOnlyList<string> ForLocalRank(ResolvedTopology topology, TopologyPool pool, int workerIndex, int port, int? kvEventsPort, string leaderAddress, int masterPort)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaderAddress);
        if (!pool.IsMultiNode) throw new ArgumentException($"Pool '{pool.Name}' runs one pod per replica (PP 1); use ForLocal.", nameof(pool));
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workerIndex, pool.EffectiveLwsSize);
        foreach (var (name, value) in new[] { (nameof(port), port), (nameof(masterPort), masterPort), (nameof(kvEventsPort), kvEventsPort ?? 1) })
            if (value is < 1 or > 65535) throw new ArgumentOutOfRangeException(name, value, "A TCP port is 1-65535.");
        var rank = workerIndex == 0 ? EngineRank.Leader : EngineRank.Worker;
        return Build(new ManifestContext(topology), pool, rank, port, NixlBackend.Ucx, rank == EngineRank.Leader ? kvEventsPort : null,
            new GroupAddress(leaderAddress, workerIndex.ToString(CultureInfo.InvariantCulture), masterPort), published: false);
    }

    // published: a pod's model source (cache volume, PVC or S3 streamer); locally vLLM loads the model id from the HF cache.
    // group: where a rank finds its leader; on EKS the $(LWS_…) references Kubernetes expands, locally the values themselves.
    private static List<string> Build(ManifestContext context, TopologyPool pool, EngineRank rank, int port, NixlBackend nixlBackend, int? kvEventsPort, GroupAddress? group, bool published)
    {
        var resolved = ResolvedPool.Resolve(pool);
        var args = new List<string>
        {
            published ? ModelLoading.ModelArgument(context, pool) : pool.Model,
            $"--tensor-parallel-size={pool.TensorParallel}",
        };
        if (pool.PipelineParallel > 1) args.Add($"--pipeline-parallel-size={pool.PipelineParallel}");
        // A checkpoint whose config or tokenizer is its own code (NAS Nemotrons' DeciLM, Kimi K2's tokenizer) loads only when trusted.
        if (resolved.Model.RemoteCode) args.Add("--trust-remote-code");
        args.Add(string.Create(CultureInfo.InvariantCulture, $"--gpu-memory-utilization={pool.GpuMemoryUtilization}"));
        // Prefix caching is on by default in vLLM V1, so turning it off has to be said; a hybrid's prompts are served
        // uncached whatever the pool asks (ModelSpec.PrefixCacheable), as the simulator and the Worker serve them.
        var prefixCaching = pool.EnablePrefixCaching && resolved.Model.PrefixCacheable;
        args.Add(prefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching");
        // FP8 weights from a BF16 checkpoint need online quantization. A quantized checkpoint declares its method in its
        // config (vLLM reads quantization_config, ModelOpt's included) and rejects a --quantization that differs.
        if (resolved.WeightDtype == DType.Fp8 && resolved.Model.CheckpointDtype is null) args.Add("--quantization=fp8");
        // Only an explicit KV-cache dtype is passed; empty leaves vLLM's auto (the checkpoint's declared KV format, else BF16), which preflight sizes.
        // DeepSeek-V4's attention runs only on an FP8 cache (fp8_ds_mla), in the 256-token blocks its sparse backend
        // prefers, which vLLM's recipe passes.
        if (!string.IsNullOrWhiteSpace(pool.KvCacheDtype) || resolved.Model.Compressed is not null)
            args.Add(resolved.KvCacheDtype == DType.Fp8 ? "--kv-cache-dtype=fp8" : "--kv-cache-dtype=bfloat16");
        if (resolved.Model.Compressed is not null) args.Add($"--block-size={CompressedAttentionSpec.VllmBlockSize}");
        if (pool.MaxModelLen > 0) args.Add($"--max-model-len={pool.MaxModelLen}");
        // The memory preflight sizes activations from these; pinning them keeps vLLM's start-up profile the same.
        args.Add($"--max-num-batched-tokens={pool.MaxNumBatchedTokens}");
        args.Add($"--max-num-seqs={pool.MaxNumSeqs}");
        if (pool.MaxCudaGraphCaptureSize > 0) args.Add($"--max-cudagraph-capture-size={pool.MaxCudaGraphCaptureSize}");
        args.Add($"--port={port}");
        if (published) args.AddRange(ModelLoading.Arguments(context, pool));
        // On SIGTERM, refuse new requests and finish those in flight (vLLM >= 0.18.0); the pod's preStop hook and grace period allow for it.
        if (rank != EngineRank.Worker) args.Add($"--shutdown-timeout={context.Spec.Engine.Drain.ShutdownTimeoutSeconds}");
        if (context.MovesKv(pool)) args.Add($"--kv-transfer-config={KvTransferConfig(nixlBackend)}");
        if (resolved.Speculative is { } speculative) args.Add($"--speculative-config={SpeculativeConfig(speculative, pool.Speculation.DraftModel)}");
        if (kvEventsPort is { } events) args.Add($"--kv-events-config={KvEventsConfig(events)}");
        if (rank != EngineRank.Single && group is not null)
        {
            // vLLM's multiprocessing multi-node launch (no Ray): one pod per pipeline stage, rank 0 on the leader.
            args.Add("--distributed-executor-backend=mp");
            args.Add($"--nnodes={pool.EffectiveLwsSize}");
            args.Add(rank == EngineRank.Leader ? "--node-rank=0" : $"--node-rank={group.WorkerIndex}");
            args.Add($"--master-addr={group.LeaderAddress}");
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--master-port={group.MasterPort}"));
            if (rank == EngineRank.Worker) args.Add("--headless");
        }

        args.AddRange(pool.ExtraArgs);
        return args;
    }

    private sealed record GroupAddress(string LeaderAddress, string WorkerIndex, int MasterPort);

    /// <summary>vLLM's NixlConnector config: kv_both on both roles, the NIXL backend chosen (LIBFABRIC on EFA).</summary>
    internal static string KvTransferConfig(NixlBackend backend)
    {
        var config = new JsonObject
        {
            ["kv_connector"] = "NixlConnector",
            ["kv_role"] = "kv_both",
            ["kv_connector_extra_config"] = new JsonObject { ["backends"] = new JsonArray(backend.ToString().ToUpperInvariant()) },
        };
        return config.ToJsonString(Compact);
    }

    /// <summary>vLLM's speculative config: the method, the draft count and, for an EAGLE head, the draft model it loads.</summary>
    internal static string SpeculativeConfig(SpeculativeDecoding speculative, string draftModel)
    {
        var config = new JsonObject { ["method"] = SpeculativeDecoding.Name(speculative.Method) };
        if (speculative.Method is SpeculativeMethod.Eagle or SpeculativeMethod.Eagle3) config["model"] = draftModel;
        config["num_speculative_tokens"] = speculative.DraftTokens;
        return config.ToJsonString(Compact);
    }

    /// <summary>vLLM's KV-event publisher: ZMQ PUB bound on every interface at <paramref name="port"/>.</summary>
    internal static string KvEventsConfig(int port)
    {
        var config = new JsonObject
        {
            ["enable_kv_cache_events"] = true,
            ["publisher"] = "zmq",
            ["endpoint"] = string.Create(CultureInfo.InvariantCulture, $"tcp://*:{port}"),
            // The KV-transfer service subscribes to every topic and tells engines apart by connection.
            ["topic"] = "kv-events",
        };
        return config.ToJsonString(Compact);
    }
}
