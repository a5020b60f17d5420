using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Calibration;

// The NIM (TensorRT-LLM) genai-perf dataset of NVIDIA DLI's cluster-sizing course: Llama 3 8B and 70B on A100 and H100.
public class NimDliFiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == NimDliFigures.Source).ToArray();

    private static CalibrationPoint Row(string setup, CalibrationMetric metric) => Rows.Single(p => p.Setup == setup && p.Metric == metric);

    [Fact]
    public void Every_configuration_of_the_csv_gives_three_figures_held_out_but_the_fitted_itls_and_ttfts()
    {
        // 787 CSV rows: 72 configurations run twice (five clients) and 643 once, so 715 configurations: 12 model × GPU ×
        // TP × precision setups × 6 lengths × 10 concurrencies, less the five H100 TP2 8B runs the CSV lacks.
        Assert.Equal(715 * 3, Rows.Length);
        // One and fifty clients' ITLs fit the unsplit walk; Llama-3-70B FP8 on H100's TTFTs, the engines' max_num_tokens;
        // Llama-3-8B's 250-client 200/200 output on H100 (TP1 and TP2, FP8 and FP16), the front end's ceiling.
        static bool Fits(CalibrationPoint p) => p.Metric switch
        {
            CalibrationMetric.ItlMeanMs => p.Options.Concurrency is 1 or 50,
            CalibrationMetric.TtftMeanMs => p.Setup.StartsWith("Llama-3-70B H100 ", StringComparison.Ordinal) && p.Setup.Contains(" FP8,", StringComparison.Ordinal),
            CalibrationMetric.OutputTokensPerSecond => p.Setup.StartsWith("Llama-3-8B H100 ", StringComparison.Ordinal) && p.Setup.EndsWith(", 200/200, concurrency 250", StringComparison.Ordinal),
            _ => false,
        };
        Assert.All(Rows, p => Assert.Equal(!Fits(p), p.HeldOut));
        Assert.Equal(144 + 120 + 4, Rows.Count(p => !p.HeldOut));
        Assert.All(Rows, p => Assert.True(p.Options.Engine.UnsplitDecodeAttention, p.Setup));
        foreach (var metric in new[] { CalibrationMetric.TtftMeanMs, CalibrationMetric.ItlMeanMs, CalibrationMetric.OutputTokensPerSecond })
            Assert.Equal(715, Rows.Count(p => p.Metric == metric));
        Assert.Equal(715, Rows.Select(p => p.Setup).Distinct().Count());
        Assert.Equal([1, 2, 5, 10, 25, 50, 100, 150, 200, 250], Rows.Select(p => p.Options.Concurrency!.Value).Distinct().Order());
        Assert.Equal([(200, 200), (200, 1000), (200, 2000), (2000, 200), (2000, 2000), (7000, 1000)],
            Rows.Select(p => (p.Options.InputTokens, p.Options.OutputTokens)).Distinct().OrderBy(l => l.InputTokens).ThenBy(l => l.OutputTokens));
    }

    [Fact]
    public void Each_row_runs_the_engine_as_nim_ran_it_tensorrt_engines_at_the_csvs_gpu_count_and_precision()
    {
        Assert.All(Rows, p =>
        {
            var e = p.Options.Engine;
            Assert.Equal(ServingEngine.Trtllm, e.Engine.Engine);
            Assert.True(e.TensorRtEngine, p.Setup);
            Assert.False(e.EnableChunkedPrefill);
            Assert.Equal(AdmissionPolicy.ReserveFull, p.Options.Admission);
            Assert.Null(p.Options.Requests); // the closed loop's default count, as NimFigures'
            Assert.Null(p.Options.RequestRate);
            Assert.Contains($" TP{e.TensorParallel} ", p.Setup, StringComparison.Ordinal);
            Assert.Equal(p.Setup.Contains(" FP8,", StringComparison.Ordinal) ? DType.Fp8 : DType.Bf16, e.WeightDtype);
            Assert.Equal(p.Setup.StartsWith("Llama-3-8B ", StringComparison.Ordinal) ? "meta-llama/Meta-Llama-3-8B-Instruct" : "meta-llama/Meta-Llama-3-70B-Instruct", e.Model.Id);
            Assert.Equal(8192, e.Model.MaxContext);
            // NIM 1.0's engines, built before TensorRT-LLM 0.11's 8192 default, take larger steps of whole prompts and
            // walk decode attention unsplit; the command says the release, which implies both.
            Assert.Equal((true, true, ReleaseDefaults.OlderNimMaxNumTokens), (e.Nim, e.UnsplitDecodeAttention, e.MaxNumBatchedTokens));
            Assert.Contains(" --engine nim --engine-version 1.0.3 ", p.Command, StringComparison.Ordinal);
            Assert.DoesNotContain("--max-num-batched-tokens", p.Command, StringComparison.Ordinal);
        });
        Assert.Equal(["a100-80g", "h100-sxm"], Rows.Select(p => p.Options.Engine.Gpu.Id).Distinct().Order(StringComparer.Ordinal));
        // 8B at TP1 and TP2, 70B at TP4 and TP8; FP8 on H100 only; A100 TP8's 70B is the CSV's one bf16 setup.
        Assert.Equal([1, 2], Rows.Where(p => p.Setup.StartsWith("Llama-3-8B ", StringComparison.Ordinal)).Select(p => p.Options.Engine.TensorParallel).Distinct().Order());
        Assert.Equal([4, 8], Rows.Where(p => p.Setup.StartsWith("Llama-3-70B ", StringComparison.Ordinal)).Select(p => p.Options.Engine.TensorParallel).Distinct().Order());
        Assert.All(Rows.Where(p => p.Options.Engine.WeightDtype == DType.Fp8), p => Assert.Equal("h100-sxm", p.Options.Engine.Gpu.Id));
        Assert.All(Rows.Where(p => p.Setup.Contains(" BF16,", StringComparison.Ordinal)), p => Assert.StartsWith("Llama-3-70B A100 TP8 ", p.Setup, StringComparison.Ordinal));
    }

    [Fact]
    public void Cells_are_the_csvs_in_ms_and_a_repeated_configuration_keeps_the_mean_of_its_runs()
    {
        // One run: 8B A100 TP1 FP16, 2000/200, one client (145,684,769.525 ns TTFT; 12,733,121 ns ITL; 74.632 tok/s).
        const string single = "Llama-3-8B A100 TP1 FP16, 2000/200, concurrency 1";
        Assert.Equal(145.68, Row(single, CalibrationMetric.TtftMeanMs).Published);
        Assert.Equal(12.733, Row(single, CalibrationMetric.ItlMeanMs).Published);
        Assert.Equal(74.6, Row(single, CalibrationMetric.OutputTokensPerSecond).Published);
        // Two runs at five clients: TTFT 40.17 and 52.56 ms, ITL 8.720 and 8.692 ms, 571.2 and 572.3 tok/s.
        const string repeated = "Llama-3-8B A100 TP2 FP16, 200/1000, concurrency 5";
        Assert.Equal(46.37, Row(repeated, CalibrationMetric.TtftMeanMs).Published);
        Assert.Equal(8.706, Row(repeated, CalibrationMetric.ItlMeanMs).Published);
        Assert.Equal(571.7, Row(repeated, CalibrationMetric.OutputTokensPerSecond).Published);
        // The last configuration of the table.
        Assert.Equal(2102, Row("Llama-3-70B H100 TP8 FP8, 7000/1000, concurrency 250", CalibrationMetric.OutputTokensPerSecond).Published);
        // The runs the CSV lacks stay out.
        Assert.DoesNotContain(Rows, p => p.Setup == "Llama-3-8B H100 TP2 FP16, 200/2000, concurrency 200");
    }

    [Fact]
    public void Only_the_series_within_the_tolerance_at_every_concurrency_are_checked_and_they_hold()
    {
        static string Series(CalibrationPoint p) => p.Setup[..p.Setup.LastIndexOf(", concurrency ", StringComparison.Ordinal)];
        var held = Rows.Where(p => p.Caveat is null).ToList();
        // Eight TTFT, 39 ITL and 41 output tok/s series, FP8 and 16-bit, Llama-3-8B's and Llama-3-70B's (Llama-3-8B FP8
        // 200/200 on H100 within since the front end's ceiling: two ITL series and one output series; ten more since the
        // all-reduce's latency follows the ranks, one output series fewer).
        Assert.Equal(
            [
                "Llama-3-70B A100 TP4 FP16, 200/200", "Llama-3-70B A100 TP8 BF16, 200/200", "Llama-3-70B A100 TP8 BF16, 200/2000",
                "Llama-3-70B H100 TP4 FP16, 200/200", "Llama-3-70B H100 TP4 FP8, 200/1000", "Llama-3-70B H100 TP8 FP16, 200/1000",
                "Llama-3-70B H100 TP8 FP8, 200/1000", "Llama-3-70B H100 TP8 FP8, 200/2000",
            ],
            held.Where(p => p.Metric == CalibrationMetric.TtftMeanMs).Select(Series).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(39, held.Where(p => p.Metric == CalibrationMetric.ItlMeanMs).Select(Series).Distinct().Count());
        Assert.Equal(41, held.Where(p => p.Metric == CalibrationMetric.OutputTokensPerSecond).Select(Series).Distinct().Count());
        Assert.Contains(held, p => p.Options.Engine.WeightDtype == DType.Fp8);
        Assert.Contains(held, p => p.Options.Engine.Model.Id == "meta-llama/Meta-Llama-3-70B-Instruct");
        Assert.All(held, p =>
        {
            Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15);
        });
        // A series is checked at every concurrency or at none.
        Assert.All(Rows.GroupBy(p => (Series(p), p.Metric)), g => Assert.Single(g.Select(p => p.Caveat is null).Distinct()));
        Assert.All(Rows.Where(p => p.Metric == CalibrationMetric.TtftMeanMs && p.Caveat is not null), p =>
            Assert.Equal(p.Options.Concurrency <= 5 ? NimDliFigures.LightTtft : NimDliFigures.LoadedTtft, p.Caveat));
        Assert.All(Rows.Where(p => p.Metric != CalibrationMetric.TtftMeanMs && p.Caveat is not null), p =>
            Assert.Equal(p.Options.Engine.WeightDtype == DType.Fp8 ? NimDliFigures.OlderFp8Decode : NimDliFigures.OlderDecode, p.Caveat));
    }
}
