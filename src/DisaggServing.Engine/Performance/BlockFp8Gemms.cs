using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The dense linear layers a layer of a block-scaled FP8 checkpoint (<see cref="ModelSpec.BlockScaledFp8"/>) runs as
/// block-FP8 GEMMs, each after its own per-token-group activation quantization: MLA's fused q_a/kv_a, q_b and output
/// projections (kv_b runs as BF16 batched GEMMs absorbed into attention in decode), DeepSeek-V4's four, or GQA's QKV and output
/// projections; a dense MLP's or a shared expert's gate_up and down. Routed experts (the fused MoE kernel) and the
/// router (BF16) are not among them. With few rows each such GEMM takes a fixed latency well above its weight read
/// (<see cref="EngineProfile.HopperBlockFp8GemmSeconds"/>).
/// </summary>
public static class BlockFp8Gemms
{
    /// <summary>Mean block-FP8 GEMMs per layer of <paramref name="model"/>; 0 when its checkpoint is not block-scaled FP8.</summary>
    public static double PerLayer(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.BlockScaledFp8) return 0;
        // DeepSeek-V4: the fused wq_a/wkv, wq_b, grouped wo_a and wo_b projections, and the sparse layers' indexer query projection.
        var attention = model.Compressed is { } v4 ? 4 + (double)v4.SparseLayers / model.Layers : model.Mla is not null ? 3 : 2;
        var denseLayer = attention + 2;
        if (model.Moe is not { } moe) return denseLayer;
        var moeLayer = attention + (moe.SharedExperts > 0 ? 2 : 0);
        return (model.DenseLayers * denseLayer + model.MoeLayers * moeLayer) / model.Layers;
    }
}
