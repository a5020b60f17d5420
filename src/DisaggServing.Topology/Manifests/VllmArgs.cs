using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Manifests;

/// <summary>The <c>vllm serve</c> arguments a pool implies, in the seed's order first, then serving, KV and multi-node ones.</summary>
internal static class VllmArgs
{
    /// <summary>Where LeaderWorkerSet puts the leader's address and a pod's worker index (env it injects into every pod).</summary>
    public const string LeaderAddress = "$(LWS_LEADER_ADDRESS)";
    public const string WorkerIndex = "$(LWS_WORKER_INDEX)";

    public static List<string> For(ManifestContext context, TopologyPool pool, EngineRank rank)
    {
        var spec = context.Spec;
        var resolved = ResolvedPool.Resolve(pool);
        var args = new List<string>
        {
            ModelLoading.ModelArgument(context, pool),
            $"--tensor-parallel-size={pool.TensorParallel}",
        };
        if (pool.PipelineParallel > 1) args.Add($"--pipeline-parallel-size={pool.PipelineParallel}");
        args.Add(string.Create(CultureInfo.InvariantCulture, $"--gpu-memory-utilization={pool.GpuMemoryUtilization}"));
        // Prefix caching is on by default in vLLM V1, so turning it off has to be said.
        args.Add(pool.EnablePrefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching");
        // FP8 weights from a BF16 checkpoint need online quantization; FP8 checkpoints declare it themselves.
        if (resolved.WeightDtype == DType.Fp8 && !pool.Model.Contains("fp8", StringComparison.OrdinalIgnoreCase)) args.Add("--quantization=fp8");
        // Only an explicit KV-cache dtype is passed; empty leaves vLLM's auto (BF16 KV), which preflight sizes.
        if (!string.IsNullOrWhiteSpace(pool.KvCacheDtype)) args.Add(resolved.KvCacheDtype == DType.Fp8 ? "--kv-cache-dtype=fp8" : "--kv-cache-dtype=bfloat16");
        if (pool.MaxModelLen > 0) args.Add($"--max-model-len={pool.MaxModelLen}");
        // The memory preflight sizes activations from these; pinning them keeps vLLM's start-up profile the same.
        args.Add($"--max-num-batched-tokens={pool.MaxNumBatchedTokens}");
        args.Add($"--max-num-seqs={pool.MaxNumSeqs}");
        args.Add($"--port={spec.Engine.Port}");
        args.AddRange(ModelLoading.Arguments(context, pool));
        // On SIGTERM, refuse new requests and finish those in flight (vLLM >= 0.18.0); the pod's preStop hook and grace period allow for it.
        if (rank != EngineRank.Worker) args.Add($"--shutdown-timeout={spec.Engine.Drain.ShutdownTimeoutSeconds}");
        if (context.MovesKv(pool)) args.Add($"--kv-transfer-config={KvTransferConfig(spec)}");
        // The engine's scheduler (leader or single pod) publishes KV events for the KV-transfer service's index.
        if (spec.KvTransfer.Enabled && rank != EngineRank.Worker) args.Add($"--kv-events-config={KvEventsConfig(spec)}");
        if (rank != EngineRank.Single)
        {
            // vLLM's multiprocessing multi-node launch (no Ray): one pod per pipeline stage, rank 0 on the leader.
            args.Add("--distributed-executor-backend=mp");
            args.Add($"--nnodes={pool.EffectiveLwsSize}");
            args.Add(rank == EngineRank.Leader ? "--node-rank=0" : $"--node-rank={WorkerIndex}");
            args.Add($"--master-addr={LeaderAddress}");
            args.Add($"--master-port={spec.Engine.MasterPort}");
            if (rank == EngineRank.Worker) args.Add("--headless");
        }

        args.AddRange(pool.ExtraArgs);
        return args;
    }

    /// <summary>
    /// vLLM's <c>KVEventsConfig</c>: ZMQ PUB bound on every interface at the KV-events port, topic <c>kv-events</c>
    /// (the KV-transfer service subscribes to every topic and tells engines apart by connection).
    /// </summary>
    public static string KvEventsConfig(TopologySpec spec) => new JsonObject
    {
        ["enable_kv_cache_events"] = true,
        ["publisher"] = "zmq",
        ["endpoint"] = $"tcp://*:{spec.KvTransfer.KvEventsPort}",
        ["topic"] = "kv-events",
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>vLLM's NixlConnector config: kv_both on both roles, the NIXL backend chosen (LIBFABRIC on EFA).</summary>
    public static string KvTransferConfig(TopologySpec spec)
    {
        var config = new JsonObject
        {
            ["kv_connector"] = "NixlConnector",
            ["kv_role"] = "kv_both",
            ["kv_connector_extra_config"] = new JsonObject { ["backends"] = new JsonArray(spec.KvTransfer.NixlBackend.ToString().ToUpperInvariant()) },
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
