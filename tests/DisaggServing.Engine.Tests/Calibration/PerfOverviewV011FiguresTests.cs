using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.11.0's perf overview, the first with in-flight batching (gptManagerBenchmark).
public class PerfOverviewV011FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == PerfOverviewV011Figures.Source).ToArray();

    [Fact]
    public void Every_row_is_an_offline_in_flight_batching_run_at_its_engines_stated_limits()
    {
        // Four columns on catalogued GPUs (H200 FP8, H100 FP8 and FP16, A100 FP16), the cells the table fills.
        Assert.Equal(152, Rows.Length);
        Assert.All(Rows, p =>
        {
            // Held out but the MHA models' H200 column, a fit of the masked MHA kernel's KV read.
            Assert.Equal(!PerfOverviewV011Figures.FitsMaskedMhaRead(p.Options.Engine.Model, p.Options.Engine.Gpu), p.HeldOut);
            Assert.Null(p.Options.Concurrency);
            Assert.True(p.Options.Engine.EnableChunkedPrefill);
            Assert.Equal(0.99, p.Options.Engine.GpuMemoryUtilization);
            Assert.Equal(AdmissionPolicy.ReserveFull, p.Options.Admission);
        });
        // The page's dataset sizes and two of its per-model engine tables (GPT-J's 128/128 engine, Llama-2-70B's TP8 128/2048 one).
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (128, 128)), p => Assert.Equal(30000, p.Options.Requests));
        Assert.All(Rows.Where(p => (p.Options.InputTokens, p.Options.OutputTokens) == (2048, 2048)), p => Assert.Equal(1500, p.Options.Requests));
        var gptj = Assert.Single(Rows, p => p.Setup == "GPT-J-6B H100 TP1 FP8, offline 128/128");
        Assert.Equal((2048, 2048), (gptj.Options.Engine.MaxNumSeqs, gptj.Options.Engine.MaxNumBatchedTokens));
        var llama = Assert.Single(Rows, p => p.Setup == "Llama-2-70B H100 TP8 FP8, offline 128/2048");
        Assert.Equal((1024, 16384), (llama.Options.Engine.MaxNumSeqs, llama.Options.Engine.MaxNumBatchedTokens));
    }

    [Fact]
    public void Its_gqa_7b_models_hold_on_hopper_where_v09s_static_batches_did_not()
    {
        // Mistral-7B FP8 on H200 and H100: within the tolerance here, +25…+96% in v0.9's static-batch table.
        var mistral = Rows.Where(p => p.Setup.StartsWith("Mistral-7B H", StringComparison.Ordinal) && p.Setup.Contains("FP8", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, mistral.Count);
        Assert.All(mistral, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
    }
}
