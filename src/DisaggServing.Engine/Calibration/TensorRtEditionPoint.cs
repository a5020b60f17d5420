using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>A column of a TensorRT-engine perf overview edition: a GPU and the engines' precision (FP16 columns are 16-bit, BF16 here).</summary>
internal sealed record TensorRtColumn(GpuSpec Gpu, DType Dtype)
{
    public static readonly TensorRtColumn H200Fp8 = new(GpuCatalog.H200Sxm, DType.Fp8);
    public static readonly TensorRtColumn H100Fp8 = new(GpuCatalog.H100Sxm, DType.Fp8);
    public static readonly TensorRtColumn H100Fp16 = new(GpuCatalog.H100Sxm, DType.Bf16);
    public static readonly TensorRtColumn A100Fp16 = new(GpuCatalog.A100_80G, DType.Bf16);
}

/// <summary>How a perf overview edition's <c>trtllm-bench build</c> set the engine's max_batch_size and max_num_tokens.</summary>
internal enum TrtllmBenchLimits
{
    /// <summary>The packaged table of the first releases (<see cref="TrtllmBenchPresetLimits"/>); TensorRT-LLM's BuildConfig defaults (2,048 sequences, 8,192 tokens) for a model it does not list.</summary>
    Preset,

    /// <summary>The dataset heuristic of v0.15 on (<see cref="TrtllmBenchHeuristic"/>).</summary>
    Heuristic,
}

/// <summary>
/// One cell of a TensorRT-engine perf overview edition (v0.12–v0.17; held out unless the caller says otherwise): <c>trtllm-bench throughput</c> on
/// engines built by <c>trtllm-bench build</c>, every request queued at once, chunked context on, with the edition's
/// engine limits (<see cref="TrtllmBenchLimits"/>) and the experts split by TP (those engines had no EP or attention DP).
/// </summary>
internal static class TensorRtEditionPoint
{
    /// <summary>The point for <paramref name="name"/> in <paramref name="column"/> at TP <paramref name="tp"/>, ISL/OSL <paramref name="isl"/>/<paramref name="osl"/>.</summary>
    public static CalibrationPoint Of(string source, TrtllmBenchLimits limits, string name, ModelSpec model, TensorRtColumn column, int tp, int isl, int osl, double published, string? caveat)
    {
        var (gpu, dtype) = column;
        var engine = CalibrationSet.Engine(model, gpu, tp, dtype) with
        {
            ExpertParallel = 1, AttentionDataParallel = false, TensorRtEngine = true, MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192,
        };
        engine = limits == TrtllmBenchLimits.Heuristic ? TrtllmBenchHeuristic.ForDataset(engine, isl, osl) : TrtllmBenchPresetLimits.ForDataset(engine, isl, osl);
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
