using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

// NVIDIA's Llama 3.1 405B Model Optimizer post: maximum throughput on one HGX H200, as the perf overview of its day ran it.
public class TrtllmLlama405BlogFiguresTests
{
    private static readonly CalibrationPoint[] Rows =
        CalibrationSet.Points.Where(p => p.Source.StartsWith("TensorRT-LLM blog, Llama 3.1 405B", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void The_three_fp8_figures_are_held_out_offline_tensorrt_engine_runs_of_the_fp8_checkpoint_on_eight_h200s()
    {
        Assert.Equal([(2048, 128, 463.1), (32768, 2048, 320.1), (120000, 2048, 71.5)],
            Rows.Select(p => (p.Options.InputTokens, p.Options.OutputTokens, p.Published)));
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Null(p.Options.Concurrency);
            var engine = p.Options.Engine;
            Assert.Equal(("nvidia/Llama-3.1-405B-Instruct-FP8", "h200-sxm", 8), (engine.Model.Id, engine.Gpu.Id, engine.TensorParallel));
            Assert.Equal((DType.Fp8, ServingEngine.Trtllm, true), (engine.WeightDtype, engine.Engine.Engine, engine.TensorRtEngine));
            // Model Optimizer's recipe quantizes the KV cache too: the 120K-token contexts fit at FP8.
            Assert.Equal(DType.Fp8, engine.EffectiveKvDtype);
        });
    }
}
