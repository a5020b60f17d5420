using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Per-tensor FP8 experts on Hopper held whole on each rank behind attention DP (expert parallelism = TP), as
/// TensorRT-LLM runs ModelOpt FP8 MoE checkpoints (Qwen3-235B-FP8, Llama 4 Maverick FP8) with its CUTLASS MoE: the
/// autotuner picks the grouped GEMM's token tile per token count from 16 to 256 (the same SM90 candidates as BF16), so a
/// decode step that gives each expert a few rows pays a small tile, not the 128 rows the grouped-GEMM efficiency was
/// fitted at; such a tile is bound by loading its weight blocks (t ÷ (t + 128) of a large tile's rate, the Blackwell
/// rule), and the grouped GEMM streams the experts' weights at <see cref="EngineProfile.HopperFp8ExpertWeightStream"/>
/// of the HBM peak rather than a dense read's share. Fitted on the older perf overview's Qwen3-235B DEP8 rows on H100
/// and H200 (fit rows; 0.45 and 0.55 fit them worse); docs/calibration.md, Engine profiles. Block-scaled FP8 experts
/// (DeepSeek-R1) take DeepGEMM's tiles instead (<see cref="DeepGemmExpertTiles"/>); experts split by TP keep the 128-row tile.
/// </summary>
internal static class HopperFp8Experts
{
    /// <summary>Whether <paramref name="spec"/>'s routed experts run this way.</summary>
    public static bool Applies(EngineSpec spec) =>
        spec.Engine.HopperFp8ExpertTileMinRows > 0 && spec.Model.Moe is not null
        && PerTensorOnHopper(spec.Gpu, spec.WeightDtype, spec.Model)
        && spec.AttentionDataParallel && spec.TensorParallel > 1 && spec.ExpertParallel == spec.TensorParallel;

    /// <summary>
    /// Per-tensor FP8 weights on a GPU with FP8 but not FP4 tensor cores (Hopper): the CUTLASS MoE GEMM's FP8 path,
    /// not block-scaled FP8's runner nor Blackwell's kernels. Whole experts behind attention DP (<see cref="Applies"/>),
    /// experts split by TP (<see cref="TpSplitFp8Experts"/>) and the width rule (<see cref="EngineProfile.ExpertWidthRises"/>) share it.
    /// </summary>
    public static bool PerTensorOnHopper(GpuSpec gpu, DType weights, ModelSpec model) =>
        weights == DType.Fp8 && !model.BlockScaledFp8 && gpu.Fp8Flops is not null && gpu.Fp4Flops is null;

    /// <summary>
    /// The factor on the experts' weight bytes that takes them from the GPU's HBM efficiency (<paramref name="hbmEfficiency"/>)
    /// to the grouped GEMM's stream share: 1 where that share is not below it.
    /// </summary>
    public static double WeightReadScale(EngineProfile engine, double hbmEfficiency) =>
        engine.HopperFp8ExpertWeightStream <= 0 ? 1 : Math.Max(1, hbmEfficiency / engine.HopperFp8ExpertWeightStream);
}
