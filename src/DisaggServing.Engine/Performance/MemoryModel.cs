using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Weight, activation and KV-cache memory per GPU, as the engine sizes them at start-up. vLLM: usable = HBM ×
/// utilization, and KV gets what weights and the profiled activation peak leave. SGLang
/// (<see cref="EngineProfile.StaticMemoryFraction"/>): KV gets HBM × its static fraction less the weights, its
/// activations kept in the rest (<see cref="SglangMemoryFraction"/>). TensorRT-LLM
/// (<see cref="EngineProfile.KvFromFreeMemory"/>): KV gets the fraction of the memory left free once weights and
/// activations are in place (its kv_cache_free_gpu_mem_fraction, default 0.9).
/// </summary>
public static class MemoryModel
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>CUDA context, CUDA graphs, NCCL buffers and allocator slack, per GPU.</summary>
    public const double RuntimeReserveBytes = 1.5 * GiB;

    /// <summary>The memory plan of the most loaded rank of <paramref name="spec"/>.</summary>
    public static MemoryPlan Plan(EngineSpec spec)
    {
        var m = spec.Model;
        int tp = spec.TensorParallel, pp = spec.PipelineParallel;
        var stageShare = (double)spec.LayersPerStage / m.Layers;
        var layerParams = m.TotalParams - m.EmbeddingParams;
        // Embedding and LM head stay BF16 in FP8 checkpoints; with PP they sit on the first and last stage.
        var embeddingCopies = m.TiedEmbeddings || pp > 1 ? 1 : 2;
        // MXFP4 and experts-only checkpoints (ModelSpec.QuantizedExpertsOnly) quantize only the routed experts; the other layers stay BF16.
        var routedParams = m.Moe is { } moe ? m.MoeLayers * (double)moe.RoutedExperts * m.ExpertParams : 0;
        var denseBytes = m.DenseWeights(spec.WeightDtype).Bytes();
        var weights = (stageShare * ((layerParams - routedParams) * denseBytes + routedParams * spec.WeightDtype.Bytes())
            + embeddingCopies * m.LmHeadParams * 2) / tp;
        // Attention DP replicates the attention projections on every rank instead of sharding them.
        if (spec.AttentionDataParallel)
            weights += stageShare * m.AttentionLayers * m.AttentionParamsPerLayer * denseBytes * (tp - 1) / tp;
        else // MLA's down-projections are replicated on every TP rank (ModelSpec.ReplicatedAttentionParamsPerLayer).
            weights += stageShare * m.Layers * m.ReplicatedAttentionParamsPerLayer * denseBytes * (tp - 1) / tp;
        weights += AttentionDpMlp.ExtraParamsPerGpu(spec) * denseBytes; // dense MLPs and shared experts, where replicated
        // A speculative drafter's layer, split by TP as the target's (the mean layer, as its passes are costed; MTP's
        // projection of the embedding and hidden state, EAGLE-3's of three hidden states and its own LM head): its weights
        // beside the target's, and its KV one layer's more a token.
        var drafter = spec.Speculative is { Method: not SpeculativeMethod.Ngram } ? spec.Speculative : null;
        if (drafter is not null)
            weights += (((layerParams - routedParams) * denseBytes + routedParams * spec.WeightDtype.Bytes()) / m.Layers
                + DrafterExtraParams(drafter, m) * 2) / tp;

        // Short-window layers (gpt-oss's 128 tokens) hold a few blocks per sequence, not a share of every token, unless
        // the engine sets a pool aside for them in proportion to the full layers' (EngineProfile.WindowKvPoolShare).
        var windowShare = m.Window is { HoldsWholeContexts: false } ? m.WindowedShare(kv: true, spec.AttentionDataParallel ? 1 : spec.TensorParallel) : 0;
        var kvPerToken = KvBytesPerTokenPerGpu(spec) * (1 - windowShare + spec.WindowPoolShare * windowShare);
        // DeepSeek-V4: its caches paged in padded layer tuples where the engine does so (vLLM), and its windows (every
        // layer's) in that pool too, each slot with its compressors' state, where the engine keeps them there (SGLang).
        if (m.Compressed is { } compressed)
        {
            if (spec.Engine.PagesCompressedCachesInLayerTuples)
                kvPerToken *= compressed.VllmPagedBytesPerToken(m.Layers) / compressed.PooledBytesPerToken;
            kvPerToken += spec.WindowPoolShare * compressed.WindowSlotBytes(m.Layers) * stageShare / (spec.AttentionDataParallel ? tp : 1);
        }
        if (drafter is not null) kvPerToken *= 1 + 1.0 / Math.Max(1, spec.AttentionLayersPerStage);
        // A static fraction (SGLang's) leaves a step's activations out of what it covers.
        var activations = (spec.Engine.StaticMemoryFraction ? 0 : ActivationBytes(spec)) + TensorRtDecoderBytes(spec) + RuntimeReserveBytes;
        var hbm = spec.Gpu.HbmBytes;
        var fraction = spec.EffectiveGpuMemoryUtilization;
        var usable = spec.Engine.KvFromFreeMemory
            ? Math.Min(hbm, weights + activations + Math.Max(0, hbm - weights - activations) * fraction)
            : hbm * fraction;
        var budget = usable - weights - activations;
        var (stateSlots, slotsPerRequest) = StatePool(spec, budget);
        if (stateSlots is { } slots) budget -= slots * RecurrentStateBytesPerGpu(spec);
        var blocks = budget <= 0 ? 0 : (long)Math.Floor(budget / (kvPerToken * spec.BlockSize));
        return new MemoryPlan(usable, weights, activations, kvPerToken, blocks, spec.BlockSize, spec.MaxNumBatchedTokens, stateSlots, slotsPerRequest);
    }

    /// <summary>
    /// SGLang keeps a running-request limit's worth of state slots when it serves a hybrid without its radix cache
    /// (max_running_requests, this many when unset: ModelRunner.handle_max_mamba_cache).
    /// </summary>
    private const int FixedStatePoolSlots = 512;

    // The slots of a separate recurrent-state pool (EngineProfile.StatePoolRatio) and those a running request holds:
    // sized by the running-request limit where the release holds one a request, else the ratio's share of the budget
    // (state + KV = budget, state = ratio × KV). None where the engine keeps states in the KV pool or the model has none.
    private static (long? Slots, int PerRequest) StatePool(EngineSpec spec, double budget)
    {
        var stateBytes = RecurrentStateBytesPerGpu(spec);
        if (stateBytes <= 0 || spec.Engine.StatePoolRatio is not { } ratio) return (null, 1);
        var perRequest = spec.ReleaseDefaults.StateSlotsPerRequest;
        if (perRequest == 1) return (Math.Min(spec.MaxNumSeqs, FixedStatePoolSlots), 1);
        return (budget <= 0 ? 0 : (long)Math.Floor(budget * ratio / (1 + ratio) / stateBytes), perRequest);
    }

    // BF16 parameters a drafter holds beyond its one layer: MTP's projection of [embedding; hidden] (2h × h), EAGLE-3's of
    // three of the target's hidden states (3h × h) and its LM head over its own vocabulary; EAGLE-1 and MTP share the target's.
    private static double DrafterExtraParams(SpeculativeDecoding speculative, ModelSpec m) => speculative.Method switch
    {
        SpeculativeMethod.Mtp => 2.0 * m.Hidden * m.Hidden,
        SpeculativeMethod.Eagle3 => 3.0 * m.Hidden * m.Hidden + (double)speculative.DraftVocab(m) * m.Hidden,
        _ => 0,
    };

    /// <summary>
    /// KV bytes per token on one rank, every attention layer counted (<see cref="Plan"/> sizes the pool without short-window
    /// layers, <see cref="ModelSpec.PooledKvLayers"/>): GQA shards KV heads across TP (replicating them when TP exceeds the KV
    /// heads); MLA's latent is replicated on every TP rank, as in vLLM; with attention DP each rank holds its own
    /// sequences' whole KV, so a token costs 1/TP of it on average.
    /// </summary>
    public static double KvBytesPerTokenPerGpu(EngineSpec spec)
    {
        var m = spec.Model;
        // Attention DP: each rank keeps the whole KV of its own 1/TP of the sequences.
        if (spec.AttentionDataParallel)
            return spec.AttentionLayersPerStage * m.KvElementsPerTokenPerLayer * spec.EffectiveKvDtype.Bytes() / spec.TensorParallel;
        double elementsPerLayer = m.Attention == AttentionKind.Mla
            ? m.KvElementsPerTokenPerLayer
            : m.KvElementsPerRankPerLayer(spec.TensorParallel);
        return spec.AttentionLayersPerStage * elementsPerLayer * spec.EffectiveKvDtype.Bytes();
    }

    /// <summary>
    /// One sequence's recurrent state on one rank: a hybrid model's linear-attention layers on the stage, their heads
    /// split by TP, in the engine's state format (<see cref="EngineSpec.RecurrentState"/>; 0 for a model without them).
    /// </summary>
    public static double RecurrentStateBytesPerGpu(EngineSpec spec) =>
        spec.RecurrentState is { } linear ? linear.StateBytesPerLayer * spec.LinearLayersPerStage / spec.TensorParallel : 0;

    /// <summary>
    /// The running requests <paramref name="spec"/>'s scheduler admits: its own limit (<see cref="EngineSpec.RunningSeqsLimit"/>),
    /// or fewer where a separate recurrent-state pool holds fewer (<see cref="MemoryPlan.StateRunningLimit"/>).
    /// </summary>
    public static int RunningSeqsLimit(EngineSpec spec, MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.StateRunningLimit is { } pool ? Math.Max(1, Math.Min(spec.RunningSeqsLimit, pool)) : spec.RunningSeqsLimit;
    }

    /// <summary>
    /// Blocks of the KV pool (<see cref="MemoryPlan.KvBlocks"/>, of <see cref="MemoryPlan.KvBytesPerToken"/> ×
    /// <see cref="MemoryPlan.BlockSize"/> bytes each) one running sequence's recurrent state takes, rounded up: vLLM sizes a
    /// hybrid model's pages so a linear-attention layer's state fills one, and every running request holds one beside its
    /// attention layers' pages, out of the same memory. 0 for a model without linear attention, and where the engine
    /// keeps the states in a pool of their own (<see cref="MemoryPlan.StateSlots"/>).
    /// </summary>
    public static int StateBlocksPerSequence(EngineSpec spec, MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var state = RecurrentStateBytesPerGpu(spec);
        if (state <= 0 || plan.StateSlots is not null) return 0;
        return (int)Math.Ceiling(state / (plan.KvBytesPerToken * plan.BlockSize));
    }

    /// <summary>Peak activation memory of a full step (vLLM's profiling run): hidden states, MLP intermediates, logits.</summary>
    public static double ActivationBytes(EngineSpec spec)
    {
        var m = spec.Model;
        var mlpWidth = m.Moe is { } moe ? Math.Max(m.Ffn, moe.ExpertsPerToken * moe.ExpertFfn) : m.Ffn;
        // A gated MLP holds gate, up and their product at once; a plain one, up and its activation.
        var mlpCopies = (double)m.DenseMlpMatrices;
        var perToken = (4.0 * m.Hidden + mlpCopies * mlpWidth / spec.TensorParallel) * 2;
        return spec.MaxNumBatchedTokens * perToken + (double)spec.MaxNumSeqs * m.Vocab * 4;
    }

    /// <summary>
    /// Sampling buffers the C++ runtime behind a TensorRT engine (<see cref="EngineSpec.TensorRtEngine"/>) allocates on every
    /// rank before it sizes the KV cache, per max_batch_size slot besides the logits <see cref="ActivationBytes"/> counts
    /// (TensorRT-LLM's gptDecoderBatched with its default top-k/top-p decoding and penalty layers): four float32 rows of
    /// the vocabulary (the decoding workspace's logits, the top-k scratch, the penalty workspace, the embedding bias) and
    /// the top-k scratch's 64 KiB. The runtime's max_seq_len-long rows (output ids, log-probs, cache indirection: tens
    /// of bytes a token of max_seq_len per slot) are left out, as the spec has no max_seq_len. At 2,048 slots and a
    /// 128,256-token vocabulary this is 4.3 GB a GPU, which is why trtllm-bench sizes max_batch_size to the dataset.
    /// </summary>
    public static double TensorRtDecoderBytes(EngineSpec spec) =>
        spec.TensorRtEngine ? (double)spec.MaxNumSeqs * (4.0 * 4 * spec.Model.Vocab + 64 * 1024) : 0;

    /// <summary>
    /// Throws an <see cref="InputException"/> when <paramref name="spec"/> does not fit, saying how much memory
    /// per GPU is missing and which TP × PP would fit.
    /// </summary>
    public static MemoryPlan RequireFit(EngineSpec spec, int gpusPerNode = 8)
    {
        var plan = Plan(spec);
        if (plan.Fits) return plan;
        var fitting = FittingLayouts(spec, gpusPerNode).Take(3).Select(l => $"TP={l.Tp} PP={l.Pp} ({l.Tp * l.Pp} GPUs)").ToList();
        var hint = fitting.Count > 0 ? $"Layouts that fit: {string.Join(", ", fitting)}." : "No TP ≤ " + gpusPerNode + " × PP ≤ 16 layout fits on this GPU; use a larger GPU or FP8.";
        throw new InputException(
            $"{spec.Model.Id} ({spec.WeightDtype.Name()}) does not fit {spec.Gpu.Id} at TP={spec.TensorParallel} PP={spec.PipelineParallel}: " +
            $"{plan.MissingBytes / GiB:F1} GiB per GPU missing (weights {plan.WeightBytes / GiB:F1} GiB + activations {plan.ActivationBytes / GiB:F1} GiB + " +
            $"KV for {plan.MinKvTokens} tokens {plan.MinKvTokens * plan.KvBytesPerToken / GiB:F2} GiB > usable {plan.UsableBytes / GiB:F1} GiB). {hint}");
    }

    /// <summary>
    /// Valid TP (≤ GPUs per node) × PP layouts that fit, in the order a platform engineer would pick them: fewest
    /// nodes, then fewest pipeline stages (PP hops cost latency), then fewest GPUs.
    /// </summary>
    public static IEnumerable<(int Tp, int Pp)> FittingLayouts(EngineSpec spec, int gpusPerNode = 8)
    {
        var layouts = new List<(int Tp, int Pp)>();
        for (var pp = 1; pp <= 16; pp++)
            for (var tp = 1; tp <= gpusPerNode; tp++)
            {
                var candidate = spec with { TensorParallel = tp, PipelineParallel = pp };
                if (IsValid(candidate) && Plan(candidate).Fits) layouts.Add((tp, pp));
            }
        return layouts
            .OrderBy(l => (l.Tp * l.Pp + gpusPerNode - 1) / gpusPerNode)
            .ThenBy(l => l.Pp)
            .ThenBy(l => l.Tp * l.Pp);
    }

    private static bool IsValid(EngineSpec spec)
    {
        try { spec.Validate(); return true; }
        catch (InputException) { return false; }
    }
}
