using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// One held-out cell of a TensorRT-engine perf overview edition (v0.12–v0.15): <c>trtllm-bench throughput</c> on
/// engines built by <c>trtllm-build</c>, every request queued at once, with CalibrationSet.Engine's limits (2,048
/// sequences and 8,192 tokens, whole contexts) and the experts split by TP (those engines had no EP or attention DP).
/// </summary>
internal static class TensorRtEditionPoint
{
    /// <summary>The point for <paramref name="name"/> on <paramref name="gpu"/> at TP <paramref name="tp"/> in <paramref name="dtype"/>, ISL/OSL <paramref name="isl"/>/<paramref name="osl"/>.</summary>
    public static CalibrationPoint Of(string source, string name, ModelSpec model, GpuSpec gpu, int tp, DType dtype, int isl, int osl, double published, string? caveat)
    {
        var engine = CalibrationSet.Engine(model, gpu, tp, dtype) with { ExpertParallel = 1, AttentionDataParallel = false, TensorRtEngine = true };
        if (model.Moe is not null) engine = engine with { MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192 };
        var options = new EstimateOptions
        {
            Engine = engine, InputTokens = isl, OutputTokens = osl, Requests = BenchmarkDefaults.Requests(offline: true, isl, osl),
            Admission = Scheduling.AdmissionPolicy.ReserveFull,
        };
        var precision = dtype == DType.Fp8 ? "FP8" : "FP16";
        var setup = $"{name} {ServingFigures.GpuName(gpu)} TP{tp} {precision}, offline {isl}/{osl}";
        return new CalibrationPoint(source, setup, CalibrationMetric.OutputTokensPerSecond, published, options, caveat) { HeldOut = true };
    }
}
