using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Token tiles of the grouped GEMM that TensorRT-LLM runs block-scaled FP8 experts (DeepSeek-R1's checkpoint) through on
/// Hopper: its FP8 block-scale MoE runner calls DeepGEMM's grouped GEMM with an expected row count per expert, the
/// expanded rows the rank's MoE receives (every token it sees × top-k) over its own experts. Below
/// <see cref="EngineProfile.BlockFp8SwapAbRows"/> (32 on H100/H200) it swaps the operands so that the tokens become the
/// N side of a 128-weight-row tile, in blocks of 16 to 128 tokens in steps of 8; from there it runs the tokens as M in
/// blocks of 64 rows up to 64 expected rows and of 128 above (fp8_blockscale_gemm's grouped_gemm_dispatch and
/// DeepGEMM's get_best_gemm_config). A decode step of a few dozen sequences therefore pays a small tile bound by
/// streaming the experts' weights, not a 128-row one.
/// </summary>
internal static class DeepGemmExpertTiles
{
    /// <summary>Whether <paramref name="spec"/>'s routed experts run this way.</summary>
    public static bool Applies(EngineSpec spec) =>
        spec.Engine.BlockFp8SwapAbRows > 0 && spec.Model is { Moe: not null, BlockScaledFp8: true }
        && spec.WeightDtype == DType.Fp8 && spec.Gpu.Fp8Flops is not null && spec.Gpu.Fp4Flops is null;

    /// <summary>
    /// The runner's expected rows per expert: <paramref name="tokens"/> × <paramref name="expertsPerToken"/> over the
    /// rank's <paramref name="experts"/> ÷ <paramref name="expertParallel"/> experts (every rank's MoE sees every token,
    /// under TP and under attention DP's all-gather alike).
    /// </summary>
    public static double ExpectedRows(double tokens, int expertsPerToken, int experts, int expertParallel) =>
        tokens * expertsPerToken * expertParallel / experts;

    /// <summary>
    /// The token tile for <paramref name="expectedRows"/> expected rows per expert when an expert actually gets
    /// <paramref name="rowsPerExpert"/>: swapped below <paramref name="swapAbRows"/> (the rows rounded up to 8, at least 16),
    /// else 64 up to 64 expected rows, else 128.
    /// </summary>
    public static double TokenTile(double expectedRows, double rowsPerExpert, int swapAbRows) =>
        expectedRows < swapAbRows ? Math.Min(128, Math.Max(16, Math.Ceiling(rowsPerExpert / 8) * 8))
        : expectedRows <= 64 ? 64 : 128;
}
