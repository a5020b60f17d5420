namespace DisaggServing.Engine.Performance;

/// <summary>
/// Per-tensor FP8 experts on Hopper split by TP alone (no attention DP, no expert parallelism), as TensorRT-LLM runs
/// Mixtral-8x7B FP8 and Llama 4 Maverick FP8 at plain TP: every rank holds a 1/TP slice of every expert and runs the
/// step's tokens through all of them in the CUTLASS MoE grouped GEMM. That kernel is the one BF16/FP16 experts run on
/// SM90 (the TMA warp-specialized grouped GEMM, one problem per expert, the same 128 × 16…256 candidate tiles in
/// cutlass_heuristic.cpp's get_candidate_tiles_sm90 for FP8 and BF16), so like theirs its efficiency rises with the
/// rows each expert gets towards a dense GEMM's, half-way at <see cref="EngineProfile.TpSplitFp8ExpertHalfRows"/>
/// (BF16's value, not refitted): a prefill step of 8,192 tokens gives each of Mixtral's 8 experts ≈ 2,048 rows, a
/// GEMM as dense as any. Whole experts behind attention DP keep <see cref="HopperFp8Experts"/>' fitted rule: each rank
/// there runs 1/EP of the experts on the tokens routed to them, and the rise applied to them took the fitted
/// Qwen3-235B DEP rows out of ±15% (docs/calibration.md, Known misses, Mixtral).
/// </summary>
internal static class TpSplitFp8Experts
{
    /// <summary>Whether <paramref name="spec"/>'s routed experts run this way.</summary>
    public static bool Applies(EngineSpec spec) =>
        spec.Engine.TpSplitFp8ExpertHalfRows > 0 && spec.Model.Moe is not null
        && HopperFp8Experts.PerTensorOnHopper(spec.Gpu, spec.WeightDtype, spec.Model)
        && !spec.AttentionDataParallel && spec.ExpertParallel <= 1;
}
