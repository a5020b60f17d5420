namespace DisaggServing.Engine.Performance;

/// <summary>
/// The routed experts' grouped-GEMM efficiency growing with the expert's width per rank.
/// <see cref="StepTimeModel.GroupedGemmEfficiency"/> was fitted on Qwen3-235B's experts (1,536 columns, whole under EP),
/// where the grouped GEMM's time per expert is set by costs each expert pays whatever its width (the grouped
/// scheduler's per-problem setup, its tiles' fixed loads and epilogue), and holds at Llama 4 Maverick's narrower ones
/// (1,024 per rank at TP8). A wider expert spreads those costs over proportionally more columns, so it runs
/// width ÷ 1,536 times faster, up to a dense GEMM's efficiency: Mixtral-8x7B's 14,336 at TP1 and TP2 run as a dense GEMM,
/// 3,584 at TP4 × 2.3, 1,792 at TP8 × 1.17. Narrower experts keep the fitted efficiency. The gain speeds the expert's
/// whole tiles, its padding rows too (what an expert pays whatever its width is spread over its columns, the padding
/// with the rest), but where a small tile's own loss is charged (Blackwell's TRTLLM-gen tiles, Hopper FP8 experts whole
/// behind attention DP, <see cref="HopperFp8Experts"/>): that rule was fitted with the padding at the fitted cost.
/// It holds for TensorRT-LLM's BF16/FP16 experts too, the same problem-per-expert grouped GEMM without scales (SM80:
/// cutlass_extensions' MoeFCGemm with its GemmMoeProblemVisitor; SM90: the TMA warp-specialized grouped GEMM), stacked
/// on their rise with rows (<see cref="EngineProfile.Bf16ExpertHalfRows"/>), the two together at most a dense GEMM's rate.
/// </summary>
public static class ExpertGemmWidth
{
    /// <summary>
    /// The factor by which experts of <paramref name="expertWidthPerRank"/> columns per rank run faster than the fitted
    /// ones, at most <paramref name="maxGain"/> (a dense GEMM's rate over the grouped one's); 1 at or below the fitted width.
    /// </summary>
    public static double Gain(double expertWidthPerRank, double maxGain)
    {
        if (double.IsNaN(expertWidthPerRank) || expertWidthPerRank <= 0)
            throw new ArgumentOutOfRangeException(nameof(expertWidthPerRank), "An expert needs a positive width per rank.");
        if (double.IsNaN(maxGain) || maxGain < 1)
            throw new ArgumentOutOfRangeException(nameof(maxGain), "The largest gain must be at least 1 (a dense GEMM's rate over the grouped one's).");
        return Math.Clamp(expertWidthPerRank / ExpertGemmShape.FittedExpertWidth, 1, maxGain);
    }
}
