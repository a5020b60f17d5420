using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// kvcached's H100 layout check (github.com/ovg-project/kvcached, benchmarks/bench_layout/H100_results.md, commit
/// c41e22a): its baseline "A — vanilla", plain vLLM 0.19.0 without kvcached, serving Qwen3-0.6B on one
/// "NVIDIA H100 80GB HBM3" (the SXM part's name). Held out, shown but not held (docs/calibration.md, Known misses).
/// </summary>
/// <remarks>
/// Launched <c>vllm serve Qwen/Qwen3-0.6B --gpu-memory-utilization 0.5 --max-model-len 2048</c>, measured with
/// <c>vllm bench serve</c> random 512 in / 128 out, 500 prompts at request rate inf, the mean of three seeds: 94.91
/// req/s. Mapped to <c>disagg estimate --engine vllm --gpu-memory-utilization 0.5 --isl 512 --osl 128 --requests 500
/// --request-rate inf</c> (0.19 schedules asynchronously by default; the random dataset's range ratio defaults to 0,
/// so every prompt is 512 tokens and asks for 128). Only req/s is taken: the page's TTFT and TPOT columns do not say
/// mean or median, and its rate-16 run's 15.87 req/s is the send rate itself.
/// </remarks>
internal static class KvcachedVanillaFigures
{
    internal const string Source = "vLLM 0.19.0, kvcached H100 layout check (vanilla vLLM baseline)";

    // Why the row is shown but not held (docs/calibration.md, "Known misses": a 0.6B model's API server).
    internal const string FrontEndBound = "not modelled: 500 prompts of a 0.6B model at once reach the engine as fast as vLLM's one API-server process admits them (published mean TTFT 2.9 s over a 5.3 s run, TPOT 5.45 ms), not as the GPU finishes them";

    /// <summary>The held-out req/s row.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var vllm = EngineProfiles.Vllm;
        var options = new EstimateOptions
        {
            Engine = ServingFigures.Engine(ModelCatalog.Qwen3_0_6B, GpuCatalog.H100Sxm, 1, DType.Bf16, vllm) with { GpuMemoryUtilization = 0.5 },
            InputTokens = 512, OutputTokens = 128, Requests = 500, RequestRate = double.PositiveInfinity, Admission = vllm.Admission, Measure = MeasureWindow.All,
        };
        yield return new CalibrationPoint(Source, "Qwen3-0.6B H100 TP1 BF16, random 512/128, 500 prompts at once, gpu-memory-utilization 0.5",
            CalibrationMetric.RequestsPerSecond, 94.91, options, FrontEndBound) { HeldOut = true };
    }
}
