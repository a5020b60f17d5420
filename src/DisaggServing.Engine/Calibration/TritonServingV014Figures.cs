using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The TensorRT-LLM v0.14 perf overview's online serving table (docs/source/performance/perf-overview.md as v0.14
/// published it, "Online Serving Measurements", read from the copy at arthurrasmusson/TensorRT-LLM commit e00d4e6):
/// "The TensorRT-LLM backend is used to measure the performance of TensorRT-LLM for online serving", "All data in the
/// table below was generated using version 0.14.0, with 500 requests and BF16 precision": Triton's tensorrtllm_backend
/// serving TensorRT engines of Llama 3.1 70B (TP4) and 8B (TP1) on H100 80GB and H200, three length pairs at 2, 4, 8,
/// 16 and 32 queries a second and INF, each cell's mean TTFT, mean ITL and output tok/s. All held out.
/// </summary>
/// <remarks>
/// <para>
/// The page states the load only as QPS, 500 requests and the lengths. Estimated <c>disagg estimate --engine trtllm
/// --engine-version 0.14.0 --dtype bf16 --request-rate Q --requests 500</c> (Poisson sends; INF: every request sent at
/// once to the served engine, <c>--request-rate inf</c>), the TensorRT engine served with trtllm-build's 2,048 sequences and 8,192 tokens, no
/// chunked context, and the streaming front end that Triton's backend and NIM 1.0 share
/// (<see cref="EngineProfile.TensorRtEngineFrontEndTokenSeconds"/>). 467/256 and 467/16 keep every request those
/// lengths: the cells' output tok/s ÷ req/s give 255 and 16 tokens a request. 202/214 is a dataset's means (its cells
/// give 200–216 a request, and the loaded runs' rate and ITL fall below 467/256's, as a long-tailed dataset drains its
/// longest requests alone): estimated with the CLI's ShareGPT spread at those means (<c>--workload sharegpt:202:214</c>);
/// the page names no dataset. Its ITL and TTFT columns are whole milliseconds.
/// </para>
/// <para>
/// Not taken: the Tput (req/s) and total tok/s columns (the same runs' output tok/s, rounded or with the prompt added);
/// the req/s says which 32-QPS runs were saturated.
/// The H200 column says "H200 131GB HBM3": the catalog's H200 SXM (141 GB).
/// </para>
/// </remarks>
internal static class TritonServingV014Figures
{
    internal const string Source = "TensorRT-LLM v0.14 perf overview, online serving (Triton tensorrtllm_backend)";

    private const int Requests = 500;

    // Why a figure is shown but not held (docs/calibration.md, "Known misses": TensorRT-LLM v0.14 online serving).
    internal const string Saturated = "not yet fitted: offered three quarters or more of what the same run completes at INF (the 70B runs at 16 and 32 QPS, the 8B runs at 32 but for the 16-token ones), a run queues, and its mean TTFT and ITL follow that queue over the 500 requests, which a few percent of modelled capacity moves by tens of percent: TTFT −14…+39%, ITL −16…+23%";
    internal const string DatasetDrain = "not yet fitted: the 202/214 runs' lengths are an unnamed dataset's (means only): with the CLI's ShareGPT spread the loaded runs' longest requests drain slower than published (output tok/s −4…−33% from 16 QPS), while their TTFT and ITL hold; fixed 202/214 lengths give +31…+62% and ITLs up to +52%";
    internal const string WholeMillisecond = "published to the whole millisecond: ±0.5 ms is ±6–10% of an ITL under 10 ms (these −18…+10%)";
    internal const string LongPrompt70B = "not yet fitted: Llama-3.1-70B's first token of a 467-token prompt on four GPUs, below saturation, comes 0–16% later in the model than published (10 of 14 over +9%), where its 202-token dataset prompts hold (−5…+1%)";
    internal const string ShortPrompt8B = "not yet fitted: Llama-3.1-8B's first token of the 202-token dataset prompts on one GPU, 17–24 ms published, comes 3–5 ms sooner in the model (−15…−21%), where its 467-token prompts hold (−10…+8%): a fixed part of the Triton front end's first token that the NIM-fitted costs do not carry";
    internal const string AllStreams = "not yet fitted: at INF all 500 requests stream at once, and the front-end costs fitted on the DLI NIM (NIM 1.0 serves through Triton's TensorRT-LLM backend too, at up to 250 streams: 70 µs a streamed token on the front end's thread, 15 µs a running stream on the executor's step) make the step of ~500 streams slower than published: ITL +14…+41% (the 8B most, 50 ms modelled against 39), the 8B's output tok/s −3…−18%; without the streaming costs (an offline run of them) the ITLs land +2…+11%";
    internal const string ShortOutputs = "not yet fitted: the 16-token runs average their ITL over 15 gaps a request, the first of them waiting on other requests' prefills: Llama-3.1-70B +10…+18% below saturation, and at INF (published 190–548 ms) both sizes −16…−17%, where the 256-token runs hold";

    private sealed record Cell(double Qps, double RequestsPerSecond, double Ttft, double Itl, double OutputTps);

    // The page's INF: every request sent at once (--request-rate inf).
    private const double Inf = double.PositiveInfinity;

    private sealed record Table(ModelSpec Model, string Name, GpuSpec Gpu, int Tp, int Isl, int Osl, Cell[] Cells);

    private static Cell[] Cells(params (double Qps, double Reqs, double Ttft, double Itl, double Out)[] cells) =>
        [.. cells.Select(c => new Cell(c.Qps, c.Reqs, c.Ttft, c.Itl, c.Out))];

    private static readonly ModelSpec Llama70B = ModelCatalog.Get("meta-llama/Llama-3.1-70B-Instruct");

    // (QPS, req/s, mean TTFT ms, mean ITL ms, output tok/s) per cell, in the page's order.
    private static readonly Table[] Tables =
    [
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H100Sxm, 4, 467, 256,
            Cells((2, 2, 62, 21, 498), (4, 4, 68, 24, 973), (8, 7, 92, 32, 1860), (16, 12, 175, 66, 3164), (32, 16, 1229, 86, 4083), (Inf, 16, 9123, 85, 4103))),
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H100Sxm, 4, 467, 16,
            Cells((2, 2, 53, 18, 28), (4, 4, 58, 20, 63), (8, 8, 71, 24, 126), (16, 16, 109, 38, 248), (32, 28, 1197, 482, 452), (Inf, 28, 9126, 548, 454))),
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H100Sxm, 4, 202, 214,
            Cells((2, 2, 48, 20, 401), (4, 4, 51, 22, 771), (8, 7, 57, 25, 1390), (16, 11, 74, 32, 2245), (32, 14, 116, 42, 3003), (Inf, 16, 4482, 50, 3459))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H100Sxm, 1, 467, 256,
            Cells((2, 2, 23, 8, 504), (4, 4, 24, 9, 929), (8, 8, 26, 9, 1959), (16, 15, 30, 11, 3765), (32, 26, 50, 19, 6774), (Inf, 37, 3335, 39, 9420))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H100Sxm, 1, 467, 16,
            Cells((2, 2, 19, 7, 32), (4, 4, 20, 7, 63), (8, 8, 22, 7, 126), (16, 16, 24, 8, 251), (32, 31, 29, 10, 493), (Inf, 79, 3280, 193, 1269))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H100Sxm, 1, 202, 214,
            Cells((2, 2, 19, 7, 416), (4, 4, 20, 8, 816), (8, 7, 21, 9, 1568), (16, 13, 23, 10, 2879), (32, 23, 27, 11, 4825), (Inf, 39, 1657, 21, 8291))),
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H200Sxm, 4, 467, 256,
            Cells((2, 2, 58, 18, 499), (4, 4, 63, 20, 980), (8, 7, 84, 27, 1886), (16, 13, 165, 60, 3264), (32, 16, 1279, 83, 4176), (Inf, 16, 9222, 83, 4185))),
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H200Sxm, 4, 467, 16,
            Cells((2, 2, 50, 15, 32), (4, 4, 55, 16, 63), (8, 8, 67, 20, 126), (16, 16, 103, 33, 248), (32, 28, 1259, 485, 450), (Inf, 29, 9074, 546, 457))),
        new(Llama70B, "Llama-3.1-70B", GpuCatalog.H200Sxm, 4, 202, 214,
            Cells((2, 2, 43, 17, 408), (4, 4, 46, 18, 784), (8, 7, 51, 21, 1438), (16, 11, 67, 28, 2386), (32, 15, 112, 39, 3235), (Inf, 17, 4480, 48, 3719))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H200Sxm, 1, 467, 256,
            Cells((2, 2, 21, 6, 504), (4, 4, 23, 7, 1001), (8, 8, 24, 7, 1971), (16, 15, 27, 9, 3809), (32, 27, 44, 16, 7025), (Inf, 40, 3237, 36, 10121))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H200Sxm, 1, 467, 16,
            Cells((2, 2, 18, 5, 32), (4, 4, 19, 6, 63), (8, 8, 20, 6, 126), (16, 16, 22, 7, 250), (32, 31, 27, 9, 494), (Inf, 81, 3227, 190, 1291))),
        new(ModelCatalog.Llama31_8B, "Llama-3.1-8B", GpuCatalog.H200Sxm, 1, 202, 214,
            Cells((2, 2, 17, 6, 418), (4, 4, 18, 6, 822), (8, 7, 19, 7, 1589), (16, 14, 20, 8, 2969), (32, 24, 24, 9, 5109), (Inf, 43, 1665, 19, 9189))),
    ];

    /// <summary>Every cell's mean TTFT, mean ITL and output tok/s, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var trtllm = EngineProfiles.Trtllm;
        foreach (var t in Tables)
        {
            var dataset = t.Isl == 202;
            foreach (var c in t.Cells)
            {
                var inf = double.IsPositiveInfinity(c.Qps);
                var options = new EstimateOptions
                {
                    Engine = CalibrationSet.Engine(t.Model, t.Gpu, t.Tp, DType.Bf16) with { TensorRtEngine = true },
                    InputTokens = dataset ? 0 : t.Isl, OutputTokens = dataset ? 0 : t.Osl,
                    Workload = dataset ? WorkloadSpec.ShareGptMeans(t.Isl, t.Osl) : null,
                    RequestRate = c.Qps, Requests = Requests, Admission = trtllm.Admission, Measure = MeasureWindow.All,
                };
                var lengths = dataset ? $"dataset ≈{t.Isl}/{t.Osl}" : $"{t.Isl}/{t.Osl}";
                var setup = $"{t.Name} {ServingFigures.GpuName(t.Gpu)} TP{t.Tp} BF16, {lengths}, {Requests} requests at {(inf ? "once" : $"{c.Qps} QPS")}";
                var eightB = t.Model == ModelCatalog.Llama31_8B;
                // Offered at three quarters or more of what the INF run completes, the run queues: its TTFT is the queue's.
                var saturated = !inf && c.Qps >= 0.75 * t.Cells.Single(x => double.IsPositiveInfinity(x.Qps)).RequestsPerSecond;
                string? ttft = saturated ? Saturated : eightB && dataset && !inf ? ShortPrompt8B : !eightB && t.Isl == 467 && !inf ? LongPrompt70B : null;
                string? itl = c.Itl < 10 ? WholeMillisecond : saturated ? Saturated : t.Osl == 16 && (!eightB || inf) ? ShortOutputs : inf ? AllStreams : null;
                string? output = dataset && c.Qps >= 16 ? DatasetDrain : inf && eightB ? AllStreams : null;
                yield return new CalibrationPoint(Source, setup, CalibrationMetric.TtftMeanMs, c.Ttft, options, ttft) { HeldOut = true };
                yield return new CalibrationPoint(Source, setup, CalibrationMetric.ItlMeanMs, c.Itl, options, itl) { HeldOut = true };
                yield return new CalibrationPoint(Source, setup, CalibrationMetric.OutputTokensPerSecond, c.OutputTps, options, output) { HeldOut = true };
            }
        }
    }
}
