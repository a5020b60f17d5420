using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Tests.Calibration;

// Red Hat AI's DeepSeek-R1-Distill model cards: vLLM 0.7.2 under GuideLLM, single-stream latency and maximum throughput.
public class RedHatModelCardFiguresTests
{
    private static readonly List<CalibrationPoint> Rows = CalibrationSet.Points.Where(p => p.Source == RedHatModelCardFigures.Source).ToList();

    [Fact]
    public void Every_row_runs_vllm_0_7_2_as_its_v0_engine_defaulted_through_guidellm_chat_requests()
    {
        Assert.NotEmpty(Rows);
        Assert.All(Rows, p =>
        {
            Assert.Equal("vllm", p.Options.Engine.Engine.Name);
            Assert.True(p.Options.Engine.VllmV0);
            Assert.True(p.Options.Engine.SynchronousScheduling);
            Assert.Equal((256, 2048, true), (p.Options.Engine.MaxNumSeqs, p.Options.Engine.MaxNumBatchedTokens, p.Options.Engine.EnableChunkedPrefill));
            Assert.Equal(ApiEndpoint.Chat, p.Options.Endpoint);
            Assert.Contains(p.Options.Engine.Gpu.Id, new[] { "a100-80g", "h100-sxm" });
            Assert.Contains(p.Options.Engine.WeightDtype, new[] { DType.Bf16, DType.Fp8, DType.Int8, DType.Int4 });
        });
    }

    [Fact]
    public void Only_the_h100_bf16_throughput_rows_and_the_w4a16_256_1024_decodes_fit_and_the_rest_are_held_out_with_what_they_miss()
    {
        Assert.All(Rows, p =>
        {
            var throughput = p.Metric == CalibrationMetric.RequestsPerSecond;
            var h100 = p.Options.Engine.Gpu == GpuCatalog.H100Sxm;
            var weights = p.Options.Engine.WeightDtype;
            var w4a16Fit = !throughput && weights == DType.Int4 && (p.Options.InputTokens, p.Options.OutputTokens) == (256, 1024);
            Assert.Equal(!(throughput && h100 && weights == DType.Bf16) && !w4a16Fit, p.HeldOut);
            if (throughput)
                Assert.Equal(weights switch
                {
                    DType.Int4 => null,
                    DType.Int8 => RedHatModelCardFigures.W8A8Throughput,
                    _ => h100 ? weights == DType.Bf16 ? RedHatModelCardFigures.V0HostFit : RedHatModelCardFigures.Fp8Throughput : RedHatModelCardFigures.A100Throughput,
                }, p.Caveat);
        });
        Assert.Equal(24, Rows.Count(p => !p.HeldOut));
    }

    [Fact]
    public void Single_stream_rows_are_mean_latencies_of_one_request_at_a_time_and_throughput_rows_a_queue_on_one_gpu()
    {
        Assert.All(Rows, p =>
        {
            if (p.Metric == CalibrationMetric.E2eMeanMs)
                Assert.Equal(1, p.Options.Concurrency);
            else
            {
                Assert.Equal(CalibrationMetric.RequestsPerSecond, p.Metric);
                Assert.Null(p.Options.Concurrency);
                Assert.Equal(1, p.Options.Engine.TensorParallel);
            }
        });
        // The use cases' lengths, and the 70B at the cards' two GPUs.
        Assert.Equal(8, Rows.Select(p => (p.Options.InputTokens, p.Options.OutputTokens)).Distinct().Count());
        Assert.Contains(Rows, p => p.Options.Engine.TensorParallel == 2 && p.Options.Engine.Model.AliasOf == ModelCatalog.Llama33_70B.Id);
    }

    [Fact]
    public void Only_the_bf16_and_w4a16_rows_of_7b_and_larger_models_below_10k_tokens_and_w4a16_s_throughput_are_held_to_the_tolerance()
    {
        Assert.All(Rows, p =>
        {
            var weights = p.Options.Engine.WeightDtype;
            var singleStream = p.Metric == CalibrationMetric.E2eMeanMs && p.Options.InputTokens < 10240
                && p.Options.Engine.Model.AliasOf != ModelCatalog.R1DistillQwen1_5B.Id && p.Options.Engine.Model.Id != ModelCatalog.R1DistillQwen1_5B.Id
                && (weights == DType.Bf16 || (weights == DType.Int4 && !(p.Options.Engine.Gpu == GpuCatalog.A100_80G && p.Options.InputTokens == 4096)));
            var w4a16Throughput = p.Metric == CalibrationMetric.RequestsPerSecond && weights == DType.Int4;
            Assert.Equal(singleStream || w4a16Throughput, p.Checked);
        });
        Assert.Contains(Rows, p => p.Checked);
        // W8A8's single stream carries the activation-quantization kernels it does not model.
        Assert.All(Rows.Where(p => p.Options.Engine.WeightDtype == DType.Int8 && p.Metric == CalibrationMetric.E2eMeanMs && p.Options.InputTokens < 10240),
            p => Assert.Equal(RedHatModelCardFigures.W8A8SmallBatch, p.Caveat));
    }

    [Fact]
    public void The_fp8_checkpoints_resolve_to_their_base_shapes_in_fp8()
    {
        var llama8B = ModelCatalog.Get("RedHatAI/DeepSeek-R1-Distill-Llama-8B-FP8-dynamic");
        Assert.Equal(DType.Fp8, llama8B.CheckpointDtype);
        Assert.Equal(ModelCatalog.Llama31_8B.Layers, llama8B.Layers);
    }
}
