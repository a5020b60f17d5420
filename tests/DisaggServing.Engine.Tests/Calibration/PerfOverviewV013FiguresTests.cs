using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.13.0's perf overview: trtllm-bench throughput on TensorRT engines, as v0.14's.
public class PerfOverviewV013FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == CalibrationSet.TrtLlmV013).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_offline_run_of_a_tensorrt_engine_at_trtllm_bench_preset_limits()
    {
        // H200 FP8, H100 FP8, H100 FP16 and A100 FP16: the cells the table fills on those columns.
        Assert.Equal(480, Rows.Length);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut, p.Setup);
            Assert.Null(p.Options.Concurrency);
            Assert.Equal(AdmissionPolicy.ReserveFull, p.Options.Admission);
            // The preset table's limits where it lists the model and TP, else TensorRT-LLM's 2,048 sequences and 8,192 tokens; chunked context.
            Assert.True(p.Options.Engine.EnableChunkedPrefill);
            Assert.Equal(TrtllmBenchPresetLimits.For(p.Options.Engine.Model, p.Options.Engine.TensorParallel, p.Options.InputTokens, p.Options.OutputTokens) ?? (2048, 8192),
                (p.Options.Engine.MaxNumSeqs, p.Options.Engine.MaxNumBatchedTokens));
            // The TensorRT engines split Mixtral's experts by TP: no expert parallelism, no attention DP.
            Assert.Equal(1, p.Options.Engine.ExpertParallel);
            Assert.False(p.Options.Engine.AttentionDataParallel);
        });
        Assert.Equal(["a100-80g", "h100-sxm", "h200-sxm"], Rows.Select(p => p.Options.Engine.Gpu.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (128, 128)), p => Assert.Equal(30000, p.Options.Requests));
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (20000, 2000)), p => Assert.Equal(1000, p.Options.Requests));
    }

    [Fact]
    public void No_setup_is_there_twice_and_repeated_geometries_are_left_out()
    {
        Assert.Equal(Rows.Length, Rows.Select(p => p.Setup).Distinct().Count());
        // LLaMA v3 8B repeats LLaMA v3.1 8B; LLaMA v3.1 70B repeats LLaMA v3 70B but for its 20000/2000 row.
        Assert.DoesNotContain(Rows, p => p.Setup.StartsWith("Llama-3-8B ", StringComparison.Ordinal));
        var llama31 = Rows.Where(p => p.Setup.StartsWith("Llama-3.1-70B ", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, llama31.Count);
        Assert.All(llama31, p => Assert.Equal((20000, 2000), (p.Options.InputTokens, p.Options.OutputTokens)));
        // Cells copied as printed: the table's first and last on a catalogued column.
        Assert.Equal(24533.54, Rows.Single(p => p.Setup == "GPT-J-6B H200 TP1 FP8, offline 128/128").Published);
        Assert.Equal(1653.55, Rows.Single(p => p.Setup == "Mixtral-8x7B A100 TP8 FP16, offline 20000/2000").Published);
    }

    [Fact]
    public void Configurations_without_a_caveat_hold_to_the_tolerance()
    {
        var held = Rows.Where(p => p.Caveat is null).ToList();
        Assert.Equal(168, held.Count);
        Assert.All(held, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
        // Mistral-7B holds on every column, the MHA small models on H200 too with the masked MHA kernel's KV read; GPT-J's
        // A100 128/128 takes v0.11's caveat for the same cell.
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Mistral-7B ", StringComparison.Ordinal)), p => Assert.Null(p.Caveat));
        Assert.All(Rows.Where(p => p.Setup.StartsWith("GPT-J-6B H200", StringComparison.Ordinal) || p.Setup.StartsWith("Llama-2-7B H200", StringComparison.Ordinal)), p => Assert.Null(p.Caveat));
        Assert.StartsWith(PerfOverviewV011Figures.SmallModels, Rows.Single(p => p.Setup == "GPT-J-6B A100 TP1 FP16, offline 128/128").Caveat, StringComparison.Ordinal);
    }
}
