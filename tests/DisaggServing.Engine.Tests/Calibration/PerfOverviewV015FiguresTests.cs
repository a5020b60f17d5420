using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.15.0's perf overview: trtllm-bench throughput on TensorRT engines, as v0.14's.
public class PerfOverviewV015FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == CalibrationSet.TrtLlmV015).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_offline_run_of_a_tensorrt_engine_at_trtllm_bench_dataset_limits()
    {
        // H100 FP8, H100 FP16 and A100 FP16 (no H200 column in v0.15): 79 Llama-3-70B cells, Llama-3.1-70B's seven
        // 20000/2000 cells, 27 each of Llama-3.1-8B, Mistral-7B and Mixtral-8x22B, 90 of Mixtral-8x7B.
        Assert.Equal(257, Rows.Length);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut, p.Setup);
            Assert.Null(p.Options.Concurrency);
            Assert.Equal(AdmissionPolicy.ReserveFull, p.Options.Admission);
            // trtllm-bench's own limits for the dataset, as v0.14's, and chunked context.
            Assert.True(p.Options.Engine.EnableChunkedPrefill);
            var (batch, tokens) = TrtllmBenchHeuristic.Limits(p.Options.Engine.Model, p.Options.Engine.Gpu, p.Options.Engine.TensorParallel,
                p.Options.Engine.WeightDtype, p.Options.Engine.EffectiveKvDtype, p.Options.InputTokens, p.Options.OutputTokens);
            Assert.Equal((batch, tokens), (p.Options.Engine.MaxNumSeqs, p.Options.Engine.MaxNumBatchedTokens));
            // The TensorRT engines split Mixtral's experts by TP: no expert parallelism, no attention DP.
            Assert.Equal(1, p.Options.Engine.ExpertParallel);
            Assert.False(p.Options.Engine.AttentionDataParallel);
        });
        Assert.Equal(["a100-80g", "h100-sxm"], Rows.Select(p => p.Options.Engine.Gpu.Id).Distinct().Order(StringComparer.Ordinal));
        // The page's dataset sizes.
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (128, 128)), p => Assert.Equal(30000, p.Options.Requests));
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (20000, 2000)), p => Assert.Equal(1000, p.Options.Requests));
    }

    [Fact]
    public void No_setup_is_there_twice_and_llama_31_70b_adds_only_the_length_llama_3_cannot_run()
    {
        Assert.Equal(Rows.Length, Rows.Select(p => p.Setup).Distinct().Count());
        var llama31 = Rows.Where(p => p.Setup.StartsWith("Llama-3.1-70B ", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, llama31.Count);
        Assert.All(llama31, p => Assert.Equal((20000, 2000), (p.Options.InputTokens, p.Options.OutputTokens)));
        Assert.DoesNotContain(Rows, p => p.Setup.StartsWith("Llama-3-70B ", StringComparison.Ordinal) && p.Options.InputTokens == 20000);
        // Cells copied as printed: the table's first and last.
        Assert.Equal(3197.73, Rows.Single(p => p.Setup == "Llama-3-70B H100 TP1 FP8, offline 128/128").Published);
        Assert.Equal(597.81, Rows.Single(p => p.Setup == "Mixtral-8x22B A100 TP8 FP16, offline 20000/2000").Published);
    }

    [Fact]
    public void Configurations_without_a_caveat_hold_to_the_tolerance()
    {
        // Llama-3.1-8B and Mistral-7B on H100, Llama 70B FP8 at H100 TP1 and TP2 and A100 TP4, Mixtral-8x7B on H100 at
        // TP1–4: 106 rows, each within ±15%.
        var held = Rows.Where(p => p.Caveat is null).ToList();
        Assert.Equal(106, held.Count);
        Assert.All(held, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
        // v0.14's misses carry over only where v0.15's same configuration misses too.
        Assert.Contains(Rows, p => p.Setup.StartsWith("Mixtral-8x7B H100 TP8 FP8", StringComparison.Ordinal) && p.Caveat!.StartsWith(PerfOverviewV014Figures.WideExperts, StringComparison.Ordinal));
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Mixtral-8x7B H100 TP2 FP8", StringComparison.Ordinal)), p => Assert.Null(p.Caveat));
    }
}
