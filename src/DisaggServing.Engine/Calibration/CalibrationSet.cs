using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The public benchmark figures of docs/calibration.md, each with the estimate that reproduces its benchmark.
/// The model is fitted with one set of constants per GPU and engine across all of them, never per point; the
/// figures marked <see cref="CalibrationPoint.HeldOut"/> were kept out of that fit.
/// </summary>
public static class CalibrationSet
{
    private const string TrtLlm = "TensorRT-LLM perf overview (trtllm-bench)";
    internal const string TrtLlmV014 = "TensorRT-LLM v0.14 perf overview (trtllm-bench, TensorRT engine)";
    internal const string TrtLlmV013 = "TensorRT-LLM v0.13 perf overview (trtllm-bench, TensorRT engine)";
    internal const string TrtLlmV012 = "TensorRT-LLM v0.12 perf overview (trtllm-bench, TensorRT engine)";
    internal const string TrtLlmV015 = "TensorRT-LLM v0.15 perf overview (trtllm-bench, TensorRT engine)";

    // The perf overview and NIM (NimFigures) run TensorRT-LLM with its defaults (whole contexts; a prompt larger than a
    // step is split) and batch limits large enough that the KV cache bounds the batch (the perf overview's dense rows take trtllm-bench's
    // own limits from the dataset, TrtllmBenchHeuristic.ForDataset); MoE models run with attention DP and EP = TP,
    // as the perf overview's MoE command does. With attention DP, TensorRT-LLM's max_batch_size and max_num_tokens
    // hold per rank, so the replica's limits are TP times larger.
    internal static EngineSpec Engine(ModelSpec model, GpuSpec gpu, int tp, DType dtype)
    {
        var moe = model.Moe is not null;
        var ranks = moe && tp > 1 ? tp : 1;
        return new EngineSpec
        {
            Model = model, Gpu = gpu, TensorParallel = tp, WeightDtype = dtype, Engine = EngineProfiles.Trtllm,
            MaxNumSeqs = 2048 * ranks, MaxNumBatchedTokens = 8192 * ranks, EnableChunkedPrefill = false,
            ExpertParallel = moe ? tp : 1, AttentionDataParallel = moe && tp > 1,
        };
    }

    // ISL/OSL pairs of the perf overview. The three that the repository's first calibration did not use are held out.
    private static readonly (int Isl, int Osl, bool HeldOut)[] Lengths =
    [
        (128, 128, false), (128, 2048, false), (128, 4096, true), (500, 2000, true), (1000, 1000, false),
        (1000, 2000, true), (2048, 128, false), (2048, 2048, false), (5000, 500, false), (20000, 2000, false),
    ];

    // Why a group's figures are shown but not yet held to the tolerance (docs/calibration.md, "Known misses").
    private const string DecodeHeavy = "not yet fitted: large-batch decode of Llama-3.1-405B at TP8 on H100 still gains more than published (+16% at 128/4096; H200's rows are within 9%)";
    private const string MoeDp = "not yet fitted: Qwen3-235B on H200 with attention DP runs its mid-batch decode faster than modelled (−24% at 128/2048)";
    private const string Blackwell = "not yet fitted: large-batch decode of multi-GPU FP4 models on Blackwell gains more than published (up to +23%; Qwen3-235B with attention DP up to +32%)";

    // Output tok/s per ISL/OSL row (NaN where the overview leaves the cell empty), and the group's caveat.
    private static readonly (ModelSpec Model, GpuSpec Gpu, int Tp, DType Dtype, double[] Values, string? Caveat)[] Offline =
    [
        (ModelCatalog.Llama33_70B, GpuCatalog.H100Sxm, 2, DType.Fp8, [6378, 6651, 4199, 5222, 4205, 4146, 762, 3082, 898, 437], null),
        (ModelCatalog.Llama31_8B, GpuCatalog.H100Sxm, 1, DType.Fp8, [28312, 22714, 14325, 17660, 15220, 13899, 3450, 9305, 3459, 1351], null),
        (ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, 1, DType.Fp8, [3803, 4336, 2872, 3666, 2909, 2994, 442, 2003, 566, 283], null),
        (ModelCatalog.Llama31_8B, GpuCatalog.H200Sxm, 1, DType.Fp8, [27911, 26221, 18027, 20770, 17744, 16828, 3538, 12194, 3902, 1804], null),
        (ModelCatalog.Llama31_405B, GpuCatalog.H200Sxm, 8, DType.Fp8, [3814, 5348, 4741, 4724, 3330, 3722, 456, 2948, 650, 505], null),
        (ModelCatalog.Llama31_405B, GpuCatalog.H100Sxm, 8, DType.Fp8, [3627, 4340, 3116, 3994, 2919, 2895, 453, 2296, 610, 345], DecodeHeavy),
        (ModelCatalog.Qwen3_235B, GpuCatalog.H200Sxm, 8, DType.Fp8, [30429, 42821, 26852, 28026, 23789, 22061, 3331, 16672, 3623, 1876], MoeDp),
        (ModelCatalog.Qwen3_235B, GpuCatalog.H100Sxm, 8, DType.Fp8, [double.NaN, 19658, 12447, 18351, 14898, 15136, double.NaN, 9924, 3225, double.NaN], null),
        (ModelCatalog.Llama33_70B, GpuCatalog.B200, 1, DType.Fp4, [11147, 9922, 6831, 7762, 7007, 6271, 1339, 4783, 1459, 665], null),
        (ModelCatalog.Llama31_405B, GpuCatalog.B200, 4, DType.Fp4, [6281, 8020, 6345, 6244, 5209, 4933, 749, 4212, 1048, 672], Blackwell),
        (ModelCatalog.Qwen3_235B, GpuCatalog.B200, 8, DType.Fp4, [63362, 66057, 39496, 57117, 42391, 34105, 7329, 26854, 8190, 4453], Blackwell),
        // Held out whole: added after the constants were fitted, and never fitted to.
        (ModelCatalog.Qwen3_30B_A3B, GpuCatalog.B200, 1, DType.Fp4, [39827, 37844, 24953, 27817, 25828, 22051, 6251, 17554, 6142, 2944], SmallMoe),
    ];

    private const string SmallMoe = "held out, not yet fitted: a small MoE (128 experts of width 768) on B200 in FP4, −9…+10% (the long outputs under, 128/128 over)";

    // The perf overview of v0.14 (TensorRT engines, FP16, in-flight batching, the limits of trtllm-bench's packaged table,
    // TrtllmBenchPresetLimits), LLaMA v3 70B at 1000/1000 on A100 SXM 80GB: output tok/s by TP. TP2 is held out.
    private static readonly (int Tp, double Value, bool HeldOut)[] A100Rows = [(2, 468.58, true), (4, 1765.91, false), (8, 3054.89, false)];

    /// <summary>Every calibration point.</summary>
    public static IReadOnlyList<CalibrationPoint> Points { get; } = Build();

    private static List<CalibrationPoint> Build()
    {
        var points = new List<CalibrationPoint>();
        foreach (var (model, gpu, tp, dtype, values, caveat) in Offline)
        {
            for (var i = 0; i < Lengths.Length; i++)
            {
                if (double.IsNaN(values[i])) continue;
                var (isl, osl, heldOut) = Lengths[i];
                heldOut |= caveat == SmallMoe;
                // No options file sets batch limits: trtllm-bench sizes dense runs from the dataset. The MoE rows keep
                // the per-rank 2,048 sequences and 8,192 tokens their attention DP constants were fitted with.
                var engine = model.Moe is null ? TrtllmBenchHeuristic.ForDataset(Engine(model, gpu, tp, dtype), isl, osl) : Engine(model, gpu, tp, dtype);
                var options = new EstimateOptions { Engine = engine, InputTokens = isl, OutputTokens = osl, Requests = BenchmarkDefaults.Requests(offline: true, isl, osl), Admission = Scheduling.AdmissionPolicy.ReserveFull };
                var setup = $"{ShortName(model)} {GpuName(gpu)} TP{tp} {dtype.Name().ToUpperInvariant()}, offline {isl}/{osl}";
                points.Add(new CalibrationPoint(TrtLlm, setup, CalibrationMetric.OutputTokensPerSecond, values[i], options, caveat) { HeldOut = heldOut });
            }
        }
        foreach (var (tp, value, heldOut) in A100Rows)
        {
            var options = new EstimateOptions
            {
                Engine = TrtllmBenchPresetLimits.ForDataset(Engine(ModelCatalog.Get("meta-llama/Meta-Llama-3-70B"), GpuCatalog.A100_80G, tp, DType.Bf16) with { TensorRtEngine = true }, 1000, 1000),
                InputTokens = 1000, OutputTokens = 1000,
                Requests = BenchmarkDefaults.Requests(offline: true, 1000, 1000), Admission = Scheduling.AdmissionPolicy.ReserveFull,
            };
            var setup = $"Llama-3-70B A100 TP{tp} BF16, offline 1000/1000";
            points.Add(new CalibrationPoint(TrtLlmV014, setup, CalibrationMetric.OutputTokensPerSecond, value, options) { HeldOut = heldOut });
        }
        points.AddRange(NimFigures.Points());
        points.AddRange(NimDliFigures.Points());
        points.AddRange(ServingFigures.Points());
        points.AddRange(VllmFigures.Points());
        points.AddRange(VllmCiFigures.Points());
        points.AddRange(GpuStackDenseFigures.Points());
        points.AddRange(LambdaVllmFigures.Points());
        points.AddRange(KvcachedVanillaFigures.Points());
        points.AddRange(TritonServingV014Figures.Points());
        points.AddRange(PerfOverviewGpuFigures.Points());
        points.AddRange(SglangGptOssFigures.Points());
        points.AddRange(PerfOverviewV014Figures.Points());
        points.AddRange(PerfOverviewV015Figures.Points());
        points.AddRange(PerfOverviewV013Figures.Points());
        points.AddRange(PerfOverviewV012Figures.Points());
        points.AddRange(PerfOverviewV061Figures.Points());
        points.AddRange(PerfOverviewV08Figures.Points());
        points.AddRange(PerfOverviewV09Figures.Points());
        points.AddRange(PerfOverviewV011Figures.Points());
        points.AddRange(PerfOverviewV017Figures.Points());
        points.AddRange(PerfOverviewV019Figures.Points());
        points.AddRange(PerfOverviewV020Figures.Points());
        points.AddRange(PerfOverviewV021Figures.Points());
        points.AddRange(TrtllmDeepSeekBlogFigures.Points());
        points.AddRange(TrtllmLlama405BlogFigures.Points());
        points.AddRange(MlperfFigures.Points());
        points.AddRange(DsaFigures.Points());
        points.AddRange(VultrB200Figures.Points());
        points.AddRange(BenHammSglangB200Figures.Points());
        points.AddRange(LambdaModelPageFigures.Points());
        points.AddRange(GpuStackQwen35Figures.Points());
        points.AddRange(GpuStackGlm52Figures.Points());
        points.AddRange(RedHatModelCardFigures.Points());
        points.AddRange(InferenceMaxGptOssFigures.Points());
        points.AddRange(InferenceMaxDeepSeekFigures.Points());
        points.AddRange(SpeculativeFigures.Points());
        points.AddRange(SglangDeepSeekV4Figures.Points());
        // A figure's command says the engine release its source states (--engine-version).
        return points.ConvertAll(StatedRelease.Apply);
    }

    private static string GpuName(GpuSpec gpu) => gpu.Id.Split('-')[0].ToUpperInvariant();

    private static string ShortName(ModelSpec model) => model.Id[(model.Id.IndexOf('/') + 1)..].Replace("-Instruct", "", StringComparison.Ordinal);
}
