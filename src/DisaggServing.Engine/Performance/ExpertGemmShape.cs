namespace DisaggServing.Engine.Performance;

/// <summary>
/// The routed expert's GEMM shape in the grouped-GEMM efficiency: each output tile pays a fixed cost (pipeline fill,
/// per-tile setup, epilogue) worth K0 elements of its reduction, so a GEMM of reduction K per rank runs at
/// K ÷ (K + K0) of a long one's rate. An expert is two GEMMs, gate/up (K = hidden, two thirds of its FLOPs) and down
/// (K = the expert width on the rank: whole where EP = TP, ÷ (TP ÷ EP) otherwise, one third).
/// <see cref="StepTimeModel.GroupedGemmEfficiency"/> was fitted at one shape (Qwen3-235B, hidden 4,096, experts of
/// 1,536 whole under EP), so the factor is relative to it: those rows keep the fitted efficiency, equal to refitting it.
/// </summary>
public static class ExpertGemmShape
{
    /// <summary>Hidden size of the rows that fitted the grouped-GEMM efficiency (Qwen3-235B).</summary>
    public const int FittedHidden = 4096;

    /// <summary>Expert width per rank of the rows that fitted it (Qwen3-235B's 1,536, whole under EP4/EP8).</summary>
    public const int FittedExpertWidth = 1536;

    /// <summary>
    /// The factor by which an expert of <paramref name="hidden"/> × <paramref name="expertWidthPerRank"/> costs more
    /// than one of the fitted shape, with a per-tile cost of <paramref name="prologueK"/> reduction elements; 1 where
    /// <paramref name="prologueK"/> is 0 (the engine's kernel is not modelled by shape).
    /// </summary>
    public static double CostFactor(int hidden, double expertWidthPerRank, double prologueK)
    {
        if (prologueK <= 0) return 1;
        if (hidden <= 0 || expertWidthPerRank <= 0)
            throw new ArgumentOutOfRangeException(nameof(expertWidthPerRank), "An expert's GEMM needs a positive hidden size and width per rank.");
        return Cost(hidden, expertWidthPerRank, prologueK) / Cost(FittedHidden, FittedExpertWidth, prologueK);
    }

    // Time per FLOP of the expert, relative to a GEMM with no per-tile cost: gate/up carry 2/3 of the FLOPs, down 1/3.
    private static double Cost(double hidden, double width, double k0) =>
        2.0 / 3 * (hidden + k0) / hidden + 1.0 / 3 * (width + k0) / width;
}
