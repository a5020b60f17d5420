using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Kernels one transformer layer launches, counted from the architecture as the serving engines' model code runs it
/// (vLLM/SGLang eager forward). Two costs scale with the count: the GPU's per-kernel launch and tail time that even
/// a CUDA-graph replay pays (the layer floor, fitted on dense GQA layers), and the host's Python and dispatch time per
/// kernel when a step runs eagerly. MoE routing and permutation, MLA's extra projections and norms, the DSA indexer
/// and per-GEMM activation quantization of FP8/FP4 checkpoints each add kernels that a dense GQA layer does not have.
/// </summary>
public static class LayerKernels
{
    // Input norm, QKV GEMM, RoPE, KV-cache write, attention, output GEMM.
    private const int GqaAttention = 6;
    // Input norm, fused q_a/kv_a GEMM, q_a norm, kv_a norm, q_b GEMM, kv_b GEMM (absorbed bmm in decode), RoPE,
    // k concat, KV-cache write, attention, output GEMM.
    private const int MlaAttention = 11;
    // DSA indexer: its q and k projections, k norm, RoPE, scoring and top-k.
    private const int DsaIndexer = 6;
    // DeepSeek-V4: the hyper-connections' mix before attention, input norm, fused wq_a/wkv GEMM, q and kv norms, wq_b GEMM,
    // per-head q norm with RoPE, the KV's RoPE, quantize and cache write, attention, inverse RoPE, grouped wo_a, wo_b GEMM,
    // and the mix before the MLP.
    private const int CompressedLayerAttention = 13;
    // A compressed layer's compressor: its kv and gate GEMM, the gated pooling (norm, RoPE and quantize in it), the cache write.
    private const int Compressor = 3;
    // The lightning indexer: its query and weights projections, its own compressor, the queries' RoPE and rotation, scoring, top-k.
    private const int LightningIndexer = 9;
    // Post-attention norm, gate_up GEMM, activation, down GEMM.
    private const int DenseMlp = 4;
    // Post-attention norm, router GEMM, top-k, sort/align tokens by expert, two grouped GEMMs, activation, weighted sum.
    private const int RoutedMoe = 8;
    // A biased sigmoid router outside its fused kernel (torch-compiled biased_grouped_topk): sigmoid and bias, top-2 per
    // group, group sums, top groups, group mask, masked scores, top-k, gather and renormalize — nine kernels for one.
    private const int UnfusedBiasedRouter = 8;
    // Kimi K2's routed experts, which SGLang's own router kernel takes though not a power of two.
    private const int KimiK2Experts = 384;
    // Shared expert: gate_up GEMM, activation, down GEMM, add to the routed output.
    private const int SharedExpert = 4;
    // Latent experts' down and up projections around the routed experts.
    private const int LatentProjections = 2;
    // Tensor parallelism: the all-reduce after attention and after the MLP.
    private const int TpAllReduces = 2;
    // q/k normalized over all heads (ModelSpec.QkNormAcrossHeads): the all-reduce of their squared sums across TP ranks.
    private const int QkNormAllReduce = 1;
    // ...normalized apart (ReleaseDefaults.SplitQkNorm): the second norm's sum of squares, all-reduce and scaling.
    private const int SplitQkNormExtra = 3;
    // Gated DeltaNet over a prompt: input norm, the qkvz and ba projections, the split into contiguous heads, causal
    // convolution, gating, q and k L2 norms, flash-linear-attention's chunked rule (chunk cumsum, K·Kᵀ within chunks,
    // triangular solve, W/U recompute, the state passed across chunks, output), gated norm, output projection.
    private const int GatedDeltaNetPrompt = 17;
    // ...decoding: input norm, the two projections, the split, the convolution's update, one fused gated recurrent
    // update (gating, L2 norms and state together), gated norm, output projection.
    private const int GatedDeltaNetDecode = 8;
    // Mamba2 over a prompt: input norm, in-projection, convolution, the chunked scan's five kernels (dt cumsum, chunk
    // states, state passing, C·Bᵀ within chunks, chunk scan), gated norm, out-projection.
    private const int Mamba2Prompt = 10;
    // ...decoding: input norm, in-projection, the convolution's update, the selective state update, gated norm, out-projection.
    private const int Mamba2Decode = 6;

    /// <summary>
    /// Mean kernels per layer of <paramref name="model"/> with <paramref name="weights"/> weights at TP <paramref name="tp"/>;
    /// <paramref name="normsFused"/>: the engine fuses the post-attention and next input norms into the all-reduces
    /// (<see cref="EngineProfile.FusesAllReduce"/>); <paramref name="unfusedRouter"/>: the engine selects the experts outside
    /// one fused kernel (<see cref="UnfusedRouter"/>); <paramref name="splitQkNorm"/>: q and k are normalized apart
    /// (<see cref="ReleaseDefaults.SplitQkNorm"/>); <paramref name="prompt"/>: a hybrid model's linear-attention layers run
    /// their chunked prompt path (<see cref="LinearMixer"/>), else their decode path.
    /// </summary>
    public static double PerLayer(ModelSpec model, DType weights, int tp, bool normsFused = false, bool unfusedRouter = false, bool splitQkNorm = false,
        bool prompt = false)
    {
        var quantized = weights != DType.Bf16;
        // A linear-attention layer launches its mixer's kernels where a GQA layer launches its attention's.
        var linear = model.Linear is { } mixer
            ? (double)mixer.Layers * (LinearMixer(mixer, weights, prompt) - (GqaAttention + (quantized ? 2 : 0))) / model.Layers
            : 0;
        double attention = model.Compressed is { } v4
            ? CompressedLayerAttention + (double)((v4.SparseLayers + v4.DenseLayers) * Compressor + v4.SparseLayers * LightningIndexer) / model.Layers
              + (quantized ? 4 : 0) // quantize wq_a/wkv, wq_b, wo_a and wo_b inputs
            : model.Mla is { } mla
            ? MlaAttention + (mla.IndexerTopK > 0 ? DsaIndexer * mla.IndexedShare(model.Layers) : 0) + (quantized ? 4 : 0) // quantize q_a/kv_a, q_b, kv_b and output inputs
            : GqaAttention + (quantized ? 2 : 0);
        var common = attention + (tp > 1 ? TpAllReduces : 0) - (normsFused && tp > 1 ? TpAllReduces : 0)
            + (tp > 1 && model.QkNormAcrossHeads ? QkNormAllReduce + (splitQkNorm ? SplitQkNormExtra : 0) : 0);
        var dense = common + DenseMlp + (quantized ? 2 : 0);
        var shared = model.Moe is { SharedExperts: > 0 } ? SharedExpert + (quantized ? 2 : 0) : 0;
        // Latent experts (MoeSpec.LatentSize) project each token down before them and up after them: two more GEMMs.
        var experts = RoutedMoe + (quantized ? 2 : 0) + shared + (model.Moe is { LatentSize: > 0 } ? LatentProjections : 0)
            + (unfusedRouter ? UnfusedBiasedRouter : 0);
        if (model.Nas is { } nas)
        {
            // A NAS stack's layers launch only the sub-layers they keep, each with its own all-reduce (norm included);
            // a Nemotron-H stack's Mamba2 mixers launch their own (LinearMixer, counted here as an attention layer's and
            // corrected below), its expert layers a MoE layer's.
            var allReduce = (tp > 1 ? 1 : 0) - (normsFused && tp > 1 ? 1 : 0);
            var mixers = (double)nas.AttentionLayers + (model.Linear?.Layers ?? 0);
            return (mixers * (attention + allReduce) + (double)nas.MlpLayers * (DenseMlp + (quantized ? 2 : 0) + allReduce)
                + (double)model.MoeLayers * (experts + allReduce)) / model.Layers + linear;
        }
        if (model.Moe is null) return dense + linear;
        var moeLayer = common + experts;
        return (model.DenseLayers * (double)dense + model.MoeLayers * (double)moeLayer) / model.Layers + linear;
    }

    /// <summary>
    /// Kernels one of <paramref name="mixer"/>'s layers launches for its mixer (input norm to output projection, as a GQA
    /// layer's attention counts): Gated DeltaNet or Mamba2 over a prompt's chunks (<paramref name="prompt"/>), whose
    /// chunked kernels are several passes, or its one fused recurrent update a decode token; a quantized checkpoint
    /// quantizes each projection's input too.
    /// </summary>
    public static int LinearMixer(LinearAttentionSpec mixer, DType weights, bool prompt)
    {
        ArgumentNullException.ThrowIfNull(mixer);
        var quantized = weights != DType.Bf16;
        return mixer.IsMamba2
            ? (prompt ? Mamba2Prompt : Mamba2Decode) + (quantized ? 2 : 0)
            : (prompt ? GatedDeltaNetPrompt : GatedDeltaNetDecode) + (quantized ? 3 : 0);
    }

    /// <summary>
    /// Kernels per layer relative to a dense GQA layer of the same weight format and TP: the factor by which the
    /// per-layer floor (<see cref="PerformanceConstants.LayerFloorSeconds"/>, fitted on dense GQA models) grows.
    /// </summary>
    public static double RelativeToDense(ModelSpec model, DType weights, int tp, bool normsFused = false, bool unfusedRouter = false, bool splitQkNorm = false)
    {
        var quantized = weights != DType.Bf16;
        var denseGqa = GqaAttention + DenseMlp + (quantized ? 4 : 0) + (tp > 1 ? TpAllReduces : 0);
        return PerLayer(model, weights, tp, normsFused, unfusedRouter, splitQkNorm) / denseGqa;
    }

    /// <summary>
    /// Whether <paramref name="engine"/> selects <paramref name="model"/>'s experts outside one fused kernel: a biased sigmoid
    /// router whose expert count is not a power of two, under an engine whose fused paths need one
    /// (<see cref="EngineProfile.FusedBiasedRouterNeedsPowerOfTwo"/>) — but Kimi K2's 384 experts in one group, which
    /// SGLang gives a kernel of their own (<c>kimi_k2_moe_fused_gate</c>).
    /// </summary>
    public static bool UnfusedRouter(ModelSpec model, EngineProfile engine) =>
        engine.FusedBiasedRouterNeedsPowerOfTwo && model.Moe is { BiasedSigmoidRouting: true } moe
        && !System.Numerics.BitOperations.IsPow2(moe.RoutedExperts) && !(moe.RoutedExperts == KimiK2Experts && moe.ExpertGroups == 1);
}
