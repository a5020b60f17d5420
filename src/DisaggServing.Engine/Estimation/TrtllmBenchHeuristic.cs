using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// The batch limits trtllm-bench picks when its options file sets none (tensorrt_llm/bench/build/tuning.py,
/// <c>calc_engine_setting</c> and <c>finetune_setting</c>): it estimates how many requests of the dataset's ISL + OSL
/// fit the KV memory the weights leave (95% of it), caps that at 4,096, and sets max_num_tokens to that batch × (1 +
/// ISL/OSL), at most 32,768, rounded up; both are per rank under attention DP. Its own estimate, not the engine's: KV
/// bytes per token = 2 × layers × max(TP, KV heads) × head size (hidden ÷ heads where config.json has no head_dim, as
/// for DeepSeek's MLA) × the KV format's bytes; weights = parameters × the weight format's bytes (half a byte for either
/// FP4 format, scales left out). It mixes units as its source does: memory in GiB (NVML's total ÷ 1024³) less the
/// weights in GB (billions of parameters × bytes), which counts the weights 7% heavier than they are.
/// </summary>
public static class TrtllmBenchHeuristic
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>(max_batch_size, max_num_tokens) trtllm-bench sets for this model, mapping and dataset.</summary>
    public static (int MaxBatchSize, int MaxNumTokens) Limits(ModelSpec model, GpuSpec gpu, int tp, DType weights, DType kv, int isl, int osl)
    {
        var headSize = model.Mla is null ? model.HeadDim : model.Hidden / model.Heads;
        var kvBytesPerToken = 2.0 * model.AttentionLayers * Math.Max(tp, model.KvHeads) * headSize * (kv == DType.Bf16 ? 2 : 1);
        var weightBytes = model.TotalParams * (weights is DType.Fp4 or DType.Mxfp4 ? 0.5 : weights.Bytes());
        var available = gpu.HbmBytes * tp - weightBytes * GiB / 1e9;
        var requests = available * 0.95 / (kvBytesPerToken * (isl + osl));
        var rawBatch = Math.Min(requests, 4096);
        var rawTokens = Math.Min(rawBatch * (1 + (double)isl / osl), 32768);
        var batch = rawBatch < 256 ? Math.Max(64, 32 * (int)Math.Ceiling(rawBatch / 32))
            : rawBatch < 1024 ? 128 * (int)Math.Ceiling(rawBatch / 128)
            : 256 * (int)Math.Ceiling(rawBatch / 256);
        var tokens = rawTokens < 4096 ? Math.Max(2048, 256 * (int)Math.Ceiling(rawTokens / 256))
            : rawTokens < 8192 ? 512 * (int)Math.Ceiling(rawTokens / 512)
            : 1024 * (int)Math.Ceiling(rawTokens / 1024);
        return (batch, tokens);
    }

    /// <summary>
    /// <paramref name="engine"/> as <c>trtllm-bench throughput</c> (PyTorch backend) runs it on a dataset of
    /// <paramref name="isl"/>/<paramref name="osl"/> (its mean lengths) when its options file sets no batch limits:
    /// <see cref="Limits"/> for max_batch_size and max_num_tokens (benchmark/utils/general.py, <c>get_settings</c>),
    /// per rank under attention DP, chunked context on. The heuristic's KV formula (KV heads × head size) is GQA's:
    /// an MLA model keeps TensorRT-LLM's own defaults (2,048 sequences, 8,192 tokens a rank). The smaller
    /// max_num_tokens also shrinks the activation peak the KV cache is sized after.
    /// </summary>
    public static EngineSpec ForDataset(EngineSpec engine, int isl, int osl)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var ranks = engine.AttentionDataParallel ? engine.TensorParallel : 1;
        var (batch, tokens) = engine.Model.Mla is null
            ? Limits(engine.Model, engine.Gpu, engine.TensorParallel, engine.WeightDtype, engine.EffectiveKvDtype, isl, osl)
            : (2048, 8192);
        return engine with { MaxNumSeqs = batch * ranks, MaxNumBatchedTokens = tokens * ranks, EnableChunkedPrefill = true };
    }
}
