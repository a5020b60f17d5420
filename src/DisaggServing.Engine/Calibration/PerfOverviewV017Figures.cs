using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The TensorRT-LLM perf overview of release v0.17 (docs/source/performance/perf-overview.md as v0.17 published it, "All
/// data in the table below was generated using version 0.17"), the last edition on TensorRT engines: total output tok/s
/// of <c>trtllm-bench throughput</c> on engines built by <c>trtllm-bench build --tp_size N --quantization FP8 --dataset …</c>
/// (FP8 quantization makes the KV cache FP8 too; the A100 column's FP16 engines keep a 16-bit one), every request queued
/// at once, the overview's request counts. Each engine runs as the v0.14 edition's do (CalibrationSet.Engine's 2,048
/// sequences and 8,192 tokens, whole contexts; Mixtral's experts split by TP, no expert parallelism, no attention DP).
/// A sample of its columns: Mixtral-8x7B at TP1 on H200 and H100 (the one-GPU engines v0.14 lacks), TP2 on A100 FP16 and
/// TP4 on H100; Llama 3.1 8B on one H200, H100 and A100; Llama 3.1 70B at TP1 on H200, TP2 on H100, TP4 on A100 FP16 and
/// TP8 on H200; Llama 3.1 405B at TP8 on H200. Left out: the GH200 column (run with gptManagerBenchmark, a GPU the catalog
/// lacks), L40S, Mistral 7B (the page names no version) and Mixtral 8x22B. Every figure is held out.
/// </summary>
internal static class PerfOverviewV017Figures
{
    internal const string Source = "TensorRT-LLM v0.17 perf overview (trtllm-bench, TensorRT engine)";

    // ISL/OSL rows of the v0.17 table in its order.
    private static readonly (int Isl, int Osl)[] Lengths =
    [
        (128, 128), (128, 2048), (128, 4096), (500, 2000), (1000, 1000), (2048, 128), (2048, 2048), (5000, 500), (20000, 2000),
    ];

    private sealed record Series(string Name, ModelSpec Model, GpuSpec Gpu, DType Dtype, int Tp, double[] Values);

    private static readonly ModelSpec Llama8B = ModelCatalog.Get("meta-llama/Meta-Llama-3.1-8B");
    private static readonly ModelSpec Llama70B = ModelCatalog.Get("meta-llama/Meta-Llama-3.1-70B");
    private static readonly ModelSpec Llama405B = ModelCatalog.Get("meta-llama/Meta-Llama-3.1-405B-Instruct");

    private static readonly Series[] Table =
    [
        new("Llama-3.1-8B", Llama8B, GpuCatalog.H200Sxm, DType.Fp8, 1, [29526.04, 25398.86, 17370.8, 21020.81, 17537.96, 3794.14, 11968.5, 3987.79, 1804.1]),
        new("Llama-3.1-8B", Llama8B, GpuCatalog.H100Sxm, DType.Fp8, 1, [28836.77, 21109.38, 13593.65, 16500.69, 15244.78, 3556.73, 9488.42, 3559.36, 1401.31]),
        new("Llama-3.1-8B", Llama8B, GpuCatalog.A100_80G, DType.Bf16, 1, [6627.27, 5255.99, 3453.79, 4276.58, 3786.83, 799.61, 2424.16, 825.13, 330.04]),
        new("Llama-3.1-70B", Llama70B, GpuCatalog.H200Sxm, DType.Fp8, 1, [4020.75, 4165.68, 2651.75, 3018.39, 2823.45, 465.99, 1913.8, 560.16, 279.52]),
        new("Llama-3.1-70B", Llama70B, GpuCatalog.H100Sxm, DType.Fp8, 2, [6645.12, 6169.58, 3897.06, 4972.57, 4390.53, 772.66, 2898.16, 919.73, 443.01]),
        new("Llama-3.1-70B", Llama70B, GpuCatalog.A100_80G, DType.Bf16, 4, [2733.48, 2811.27, 1976.49, 2275.79, 1921.77, 325.15, 1393.64, 392.62, 212.08]),
        new("Llama-3.1-70B", Llama70B, GpuCatalog.H200Sxm, DType.Fp8, 8, [15355.84, 21195.88, 16941.52, 17278.4, 13181.24, 1983.03, 11142.47, 2717.83, 1920.45]),
        new("Llama-3.1-405B", Llama405B, GpuCatalog.H200Sxm, DType.Fp8, 8, [3874.19, 5938.09, 5168.37, 5084.29, 3399.69, 463.42, 2940.62, 669.13, 535.31]),
        new("Mixtral-8x7B", ModelCatalog.Mixtral8x7B, GpuCatalog.H200Sxm, DType.Fp8, 1, [17157.72, 15095.21, 9534.62, 12105.27, 10371.36, 2009.67, 6940.32, 2309.1, 1151.78]),
        new("Mixtral-8x7B", ModelCatalog.Mixtral8x7B, GpuCatalog.H100Sxm, DType.Fp8, 1, [15962.49, 8290.13, 4784.86, 6800.6, 6868.52, 1892.81, 3983.1, 1764.7, 673.7]),
        new("Mixtral-8x7B", ModelCatalog.Mixtral8x7B, GpuCatalog.A100_80G, DType.Bf16, 2, [5541.47, 4169.78, 2608.05, 3446.37, 3154.52, 649, 2056.58, 724.44, 337.51]),
        new("Mixtral-8x7B", ModelCatalog.Mixtral8x7B, GpuCatalog.H100Sxm, DType.Fp8, 4, [41068.23, 41164.73, 27912.48, 34489.34, 27784.74, 5234.98, 19432.08, 6401.56, 3303.83]),
    ];

    /// <summary>The sampled columns' figures, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        foreach (var s in Table)
        {
            for (var i = 0; i < Lengths.Length; i++)
            {
                if (double.IsNaN(s.Values[i])) continue;
                var (isl, osl) = Lengths[i];
                // TensorRT engines split experts by TP: no EP and no attention DP, as v0.14's.
                var engine = CalibrationSet.Engine(s.Model, s.Gpu, s.Tp, s.Dtype) with { ExpertParallel = 1, AttentionDataParallel = false };
                if (s.Model.Moe is not null) engine = engine with { MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192 };
                var options = new EstimateOptions
                {
                    Engine = engine, InputTokens = isl, OutputTokens = osl, Requests = BenchmarkDefaults.Requests(offline: true, isl, osl),
                    Admission = Scheduling.AdmissionPolicy.ReserveFull,
                };
                var precision = s.Dtype == DType.Fp8 ? "FP8" : "FP16";
                var setup = $"{s.Name} {ServingFigures.GpuName(s.Gpu)} TP{s.Tp} {precision}, offline {isl}/{osl}";
                yield return new CalibrationPoint(Source, setup, CalibrationMetric.OutputTokensPerSecond, s.Values[i], options, Caveat(s, isl, osl)) { HeldOut = true };
            }
        }
    }

    // Why a column or cell is shown but not held to the tolerance (docs/calibration.md, "Known misses"), decided per column
    // or from the other editions' tables, never from the model's error on the cell.
    private const string TpSplitExperts = "not yet fitted: Mixtral-8x7B's experts split by TP in TensorRT engines run nearer a dense GEMM the wider they are per rank, their tiles' padding too (ExpertGemmWidth; FP8 at TP1 −15…+14%, at TP4 on H100 −22…+1%; FP16 on A100 at TP2 −9…+23%), v0.14's Mixtral miss again";
    private const string A100SmallDense = "not yet fitted: Llama-3.1-8B FP16 on one A100 runs 6–16% faster than modelled, as v0.14's same column does (−2…−12%, held): A100's one-GPU small-model step is costed slow";

    // A cell that v0.19 (the next PyTorch-backend edition, same lengths and request counts) publishes 7.5% or more above on
    // the same model, GPU and TP: the model follows the faster edition, as for v0.21's regressed cells.
    private const double SlowerRatio = 0.925;

    private static string? Caveat(Series s, int isl, int osl)
    {
        if (s.Model.Moe is not null) return TpSplitExperts;
        if (s.Gpu == GpuCatalog.A100_80G && s.Tp == 1) return A100SmallDense;
        var v017 = s.Values[Array.IndexOf(Lengths, (isl, osl))];
        return PerfOverviewTable.Cell(PerfOverviewV019Figures.Table, s.Model, s.Gpu, s.Tp, isl, osl) is { } v019 && v017 <= SlowerRatio * v019
            ? FormattableString.Invariant($"older TensorRT-LLM: v0.17 publishes {(v017 / v019 - 1) * 100:F0}% against v0.19's {v019:N0} tok/s on the same configuration and length; the model follows v0.19's")
            : null;
    }
}
