using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.12.0's perf overview: trtllm-bench throughput on TensorRT engines, as v0.13's and v0.14's.
public class PerfOverviewV012FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == CalibrationSet.TrtLlmV012).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_offline_run_of_a_tensorrt_engine_at_trtllm_bench_preset_limits()
    {
        // H200 FP8, H100 FP8, H100 FP16 and A100 FP16: the cells the table fills on those columns.
        Assert.Equal(244, Rows.Length);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut, p.Setup);
            Assert.Null(p.Options.Concurrency);
            Assert.Equal(AdmissionPolicy.ReserveFull, p.Options.Admission);
            Assert.True(p.Options.Engine.TensorRtEngine, p.Setup);
            // v0.12's page states no per-model engine limits (v0.11's did): trtllm-bench build took its packaged table's,
            // which lists every model of this edition, and trtllm-bench throughput chunked context.
            Assert.True(p.Options.Engine.EnableChunkedPrefill);
            Assert.NotNull(TrtllmBenchPresetLimits.For(p.Options.Engine.Model, p.Options.Engine.TensorParallel, p.Options.InputTokens, p.Options.OutputTokens));
            Assert.Equal(TrtllmBenchPresetLimits.For(p.Options.Engine.Model, p.Options.Engine.TensorParallel, p.Options.InputTokens, p.Options.OutputTokens),
                (p.Options.Engine.MaxNumSeqs, p.Options.Engine.MaxNumBatchedTokens));
            // The TensorRT engines split Mixtral's experts by TP: no expert parallelism, no attention DP.
            Assert.Equal(1, p.Options.Engine.ExpertParallel);
            Assert.False(p.Options.Engine.AttentionDataParallel);
        });
        Assert.Equal(["a100-80g", "h100-sxm", "h200-sxm"], Rows.Select(p => p.Options.Engine.Gpu.Id).Distinct().Order(StringComparer.Ordinal));
        // The page's request counts: 30,000 at 128/128, 3,000 at 128/2048 and 2048/128, 1,500 at 128/4096 and 2048/2048.
        Assert.All(Rows, p => Assert.Equal(
            (p.Options.InputTokens, p.Options.OutputTokens) switch { (128, 128) => 30000, (128, 2048) or (2048, 128) => 3000, _ => 1500 },
            p.Options.Requests));
        Assert.Equal([(128, 128), (128, 2048), (128, 4096), (2048, 128), (2048, 2048)],
            Rows.Select(p => (p.Options.InputTokens, p.Options.OutputTokens)).Distinct().Order());
    }

    [Fact]
    public void No_setup_is_there_twice_and_each_cell_is_copied_as_printed()
    {
        Assert.Equal(Rows.Length, Rows.Select(p => p.Setup).Distinct().Count());
        // Eight models, none repeating another's geometry; Falcon-180B only where the page fills its cells.
        Assert.Equal(
            ["Falcon-180B", "GPT-J-6B", "Llama-2-70B", "Llama-2-7B", "Llama-3-70B", "Llama-3-8B", "Mistral-7B", "Mixtral-8x7B"],
            Rows.Select(p => p.Setup[..p.Setup.IndexOf(' ')]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(15, Rows.Count(p => p.Setup.StartsWith("Falcon-180B ", StringComparison.Ordinal)));
        // Empty cells stay out: Llama-3-70B has no H100 FP8 TP2 column and no H100 FP16 TP2 2048/2048 cell.
        Assert.DoesNotContain(Rows, p => p.Setup.StartsWith("Llama-3-70B H100 TP2 FP8", StringComparison.Ordinal));
        Assert.DoesNotContain(Rows, p => p.Setup == "Llama-3-70B H100 TP2 FP16, offline 2048/2048");
        Assert.Equal(24834.76, Rows.Single(p => p.Setup == "GPT-J-6B H200 TP1 FP8, offline 128/128").Published);
        Assert.Equal(87.54, Rows.Single(p => p.Setup == "Llama-3-70B A100 TP2 FP16, offline 2048/2048").Published);
        Assert.Equal(6386.83, Rows.Single(p => p.Setup == "Falcon-180B H100 TP8 FP8, offline 2048/2048").Published);
    }

    [Fact]
    public void Configurations_without_a_caveat_hold_to_the_tolerance()
    {
        var held = Rows.Where(p => p.Caveat is null).ToList();
        Assert.Equal(125, held.Count);
        Assert.All(held, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
        // The 7-8B models hold on every column, the MHA ones on H200 with the masked MHA kernel's KV read.
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Mistral-7B ", StringComparison.Ordinal) || p.Setup.StartsWith("Llama-3-8B ", StringComparison.Ordinal)),
            p => Assert.Null(p.Caveat));
        Assert.All(Rows.Where(p => p.Setup.StartsWith("GPT-J-6B ", StringComparison.Ordinal) || p.Setup.StartsWith("Llama-2-7B ", StringComparison.Ordinal)), p => Assert.Null(p.Caveat));
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Falcon-180B ", StringComparison.Ordinal)), p => Assert.StartsWith(PerfOverviewV011Figures.FalconHopper, p.Caveat, StringComparison.Ordinal));
        // Mixtral's engines hold but for H200 TP2; Llama-2-70B on A100 holds at TP4 and TP8.
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Mixtral-8x7B ", StringComparison.Ordinal)),
            p => Assert.Equal(p.Setup.StartsWith("Mixtral-8x7B H200 TP2", StringComparison.Ordinal), p.Caveat is not null));
        Assert.All(Rows.Where(p => p.Setup.StartsWith("Llama-2-70B A100", StringComparison.Ordinal) && p.Options.Engine.TensorParallel >= 4), p => Assert.Null(p.Caveat));
    }

    [Fact]
    public void Each_caveat_states_what_v012_measures()
    {
        Assert.All(Rows.Where(p => p.Caveat is not null), p => Assert.Contains("v0.12", p.Caveat, StringComparison.Ordinal));
    }
}
