using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.9.0's static-batch tables (gptSessionBenchmark): H200 and H100 FP8, A100 FP16.
public class PerfOverviewV09FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == PerfOverviewV09Figures.Source).ToArray();

    [Fact]
    public void Every_row_is_a_trtllm_static_batch_admitted_whole_and_prefilled_in_one_pass()
    {
        // Six models × four lengths × three GPUs of throughput, six models × two prompts × three GPUs of first-token latency.
        Assert.Equal(72, Rows.Count(p => p.Metric == CalibrationMetric.OutputTokensPerSecond));
        Assert.Equal(36, Rows.Count(p => p.Metric == CalibrationMetric.TtftMeanMs));
        Assert.All(Rows, p =>
        {
            // Held out but the MHA models' H200 throughput, a fit of the masked MHA kernel's KV read, and Mistral-7B's,
            // a fit of its FP8 conversion for a GQA group (0.9 decodes it without XQA).
            var engine = p.Options.Engine;
            var fitsGroup = engine.Model.Id == "mistralai/Mistral-7B-v0.1" && engine.Gpu == GpuCatalog.H200Sxm && engine.MaskedMhaDecodesGqa;
            Assert.Equal(!(p.Metric == CalibrationMetric.OutputTokensPerSecond && (PerfOverviewV011Figures.FitsMaskedMhaRead(engine.Model, engine.Gpu) || fitsGroup)), p.HeldOut);
        });
        SessionBenchmarkAssertions.AssertStaticBatches(Rows);
    }

    [Fact]
    public void A_static_batch_gives_every_sequence_the_same_first_token_and_finish_time()
    {
        var row = Assert.Single(Rows, p => p.Setup.StartsWith("Llama-2-70B A100 TP4 FP16, static batch 64 × 2048/2048", StringComparison.Ordinal));
        var result = Estimator.Run(row.Options);
        // An offline run queues all 64 before the first step, so their prompts prefill in one pass, then 2,047 decode steps
        // of all 64 together: every request finishes at once, so the run lasts as long as one request and its throughput
        // is the whole batch's tokens over that time.
        Assert.InRange(result.TtftMeanMs!.Value / result.TtftMs!.Value, 0.999, 1.001);
        Assert.InRange(result.E2eMeanMs!.Value / result.E2eMs!.Value, 0.999, 1.001);
        Assert.InRange(result.OutputTokensPerSecond!.Value / (64 * 2048 / (result.E2eMs.Value / 1000)), 0.99, 1.01);
    }

    [Fact]
    public void Gpt_j_falcon_and_the_llama_2_models_are_there_at_their_tables_batch_sizes()
    {
        Assert.Contains(Rows, p => p.Options.Engine.Model.Id == "EleutherAI/gpt-j-6b" && p.Options.Requests == 1024);
        Assert.Contains(Rows, p => p.Options.Engine.Model.Id == "tiiuae/falcon-180B" && p.Options.Engine.TensorParallel == 8);
        Assert.Contains(Rows, p => p.Options.Engine.Model.Id == "meta-llama/Llama-2-70b-hf" && p.Options.Engine.TensorParallel == 1);
        // Mixtral's v0.9 engines split the experts by TP.
        Assert.All(Rows.Where(p => p.Options.Engine.Model.Moe is not null), p => Assert.Equal(1, p.Options.Engine.ExpertParallel));
    }
}
