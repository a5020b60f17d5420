using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Tests.Calibration;

public class MlperfFiguresTests
{
    private static readonly List<CalibrationPoint> Mlperf =
        [.. CalibrationSet.Points.Where(p => p.Source.StartsWith("MLPerf Inference", StringComparison.Ordinal))];

    [Fact]
    public void The_mlperf_offline_figures_are_in_the_set_held_out_as_whole_systems()
    {
        Assert.Equal(19, Mlperf.Count);
        Assert.All(Mlperf, p =>
        {
            Assert.True(p.HeldOut, p.Setup);
            Assert.Equal(CalibrationMetric.OutputTokensPerSecond, p.Metric);
            Assert.Equal("trtllm", p.Options.Engine.Engine.Name);
            Assert.Null(p.Options.Concurrency);
            Assert.Null(p.Options.RequestRate);
            // Every system is 8 GPUs but v5.0's one-B200 llama2-70b: its replicas times one replica's GPUs.
            Assert.Equal(p.Setup.Contains(" 1×B200", StringComparison.Ordinal) ? 1 : 8, p.Replicas * p.Options.Engine.GpusPerReplica);
            Assert.Equal(DType.Fp8, p.Options.Engine.KvCacheDtype);
        });
    }

    [Fact]
    public void Each_mlperf_figure_runs_the_configuration_nvidia_states_for_its_system()
    {
        // v4.1 H100_SXM_80GB_TP2x4: four TP2 engines of FP8 Llama 2 70B, 896 sequences, 4,096 tokens, no chunked context.
        var h100 = Mlperf.Single(p => p.Setup.StartsWith("Llama-2-70b-chat-hf DGX-H100", StringComparison.Ordinal) && p.Setup.Contains("MLPerf v4.1", StringComparison.Ordinal));
        Assert.Equal((4, 2, DType.Fp8, 896, 4096, false, 0.90),
            (h100.Replicas, h100.Options.Engine.TensorParallel, h100.Options.Engine.WeightDtype, h100.Options.Engine.MaxNumSeqs,
             h100.Options.Engine.MaxNumBatchedTokens, h100.Options.Engine.EnableChunkedPrefill, h100.Options.Engine.GpuMemoryUtilization));
        // Lengths: OpenOrca's mean prompt (222.33 tokens) and the run's own output per sample (24,524.9 ÷ 84.4792).
        Assert.Equal((222, 290), (h100.Options.InputTokens, h100.Options.OutputTokens));
        Assert.Equal(24524.9, h100.Published);
        // v5.1 DeepSeek-R1: one DEP8 engine, its per-rank limits (512 sequences, 4,608 tokens) times the 8 ranks.
        var r1 = Mlperf.Single(p => p.Options.Engine.Model.Mla is not null);
        Assert.Equal((1, 8, true, 4096, 36864), (r1.Replicas, r1.Options.Engine.ExpertParallel, r1.Options.Engine.AttentionDataParallel,
            r1.Options.Engine.MaxNumSeqs, r1.Options.Engine.MaxNumBatchedTokens));
        // v5.1 Llama 3.1 405B: two engines of TP2 × PP2.
        var llama405 = Mlperf.Single(p => p.Options.Engine.PipelineParallel > 1 && p.Options.Engine.Gpu == GpuCatalog.B200 && p.Setup.Contains("MLPerf v5.1", StringComparison.Ordinal));
        Assert.Equal((2, 2, 2), (llama405.Replicas, llama405.Options.Engine.TensorParallel, llama405.Options.Engine.PipelineParallel));
        // v5.0 H100_SXM_80GB_PP2x4: four engines of TP1 × PP2, 1,024 sequences and tokens, 0.95 of the free memory;
        // its samples per query from the detail log (294,912, a quarter each), not the summary's 290,400.
        var pp2 = Mlperf.Single(p => p.Setup.StartsWith("Llama-2-70b-chat-hf DGX-H100", StringComparison.Ordinal) && p.Setup.Contains("MLPerf v5.0", StringComparison.Ordinal));
        Assert.Equal((4, 1, 2, 1024, 1024, 0.95, 73728), (pp2.Replicas, pp2.Options.Engine.TensorParallel, pp2.Options.Engine.PipelineParallel,
            pp2.Options.Engine.MaxNumSeqs, pp2.Options.Engine.MaxNumBatchedTokens, pp2.Options.Engine.GpuMemoryUtilization, pp2.Options.Requests));
    }

    [Fact]
    public void A_figures_prediction_is_one_replicas_estimate_times_its_replicas()
    {
        var h200 = Mlperf.Single(p => p.Setup.StartsWith("Llama-2-70b-chat-hf 8×H200", StringComparison.Ordinal) && p.Setup.Contains("MLPerf v4.1", StringComparison.Ordinal));
        Assert.Equal(8, h200.Replicas);
        var replica = Estimator.Run(h200.Options).OutputTokensPerSecond!.Value;
        Assert.Equal(replica * 8, h200.Predicted(Estimator.Run(h200.Options)), 6);
        // The other figures compare one engine's estimate with the published figure as they stand.
        Assert.All(CalibrationSet.Points.Where(p => !Mlperf.Contains(p)), p => Assert.Equal(1, p.Replicas));
    }
}
