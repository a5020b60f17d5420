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
    public void Only_the_h100_bf16_throughput_rows_the_w4a16_256_1024_decodes_and_llama_8b_s_per_token_scaled_rows_fit_and_the_rest_are_held_out_with_what_they_miss()
    {
        Assert.All(Rows, p =>
        {
            var throughput = p.Metric == CalibrationMetric.RequestsPerSecond;
            var h100 = p.Options.Engine.Gpu == GpuCatalog.H100Sxm;
            var weights = p.Options.Engine.WeightDtype;
            var w4a16Fit = !throughput && weights == DType.Int4 && p.Options.Engine.Model.AliasOf == ModelCatalog.Llama31_8B.Id && (p.Options.InputTokens, p.Options.OutputTokens) == (256, 1024);
            var perTokenFit = p.Options.Engine.Model.PerTokenActivationScales && p.Options.Engine.Model.AliasOf == ModelCatalog.Llama31_8B.Id;
            Assert.Equal(!(throughput && h100 && weights == DType.Bf16) && !w4a16Fit && !perTokenFit, p.HeldOut);
            if (throughput)
                Assert.Equal(weights switch
                {
                    DType.Int4 when h100 && p.Options.OutputTokens == 1024 && p.Options.Engine.Model.AliasOf == ModelCatalog.Qwen25_14B.Id => RedHatModelCardFigures.Qwen14BDecodeHeavy,
                    DType.Int4 or DType.Int8 => null,
                    DType.Fp8 => p.Options.InputTokens >= 10240 ? RedHatModelCardFigures.LongFp8Throughput : null,
                    _ => h100 ? RedHatModelCardFigures.V0HostFit : RedHatModelCardFigures.A100Throughput,
                }, p.Caveat);
        });
        // 22 H100 BF16 throughput rows, 2 W4A16 decodes, Llama-8B's 5 + 7 FP8-dynamic and 8 + 7 W8A8 rows.
        Assert.Equal(24 + 27, Rows.Count(p => !p.HeldOut));
    }

    [Fact]
    public void The_fp8_dynamic_and_w8a8_checkpoints_scale_activations_per_token_and_the_others_do_not()
    {
        Assert.All(Rows, p => Assert.Equal(p.Options.Engine.WeightDtype is DType.Fp8 or DType.Int8, p.Options.Engine.Model.PerTokenActivationScales));
        Assert.False(ModelCatalog.Get("nvidia/Llama-3.1-8B-Instruct-FP8").PerTokenActivationScales);
        Assert.False(ModelCatalog.Get("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8").PerTokenActivationScales);
        Assert.True(ModelCatalog.Get("meta-llama/Llama-3.1-405B-Instruct-FP8").PerTokenActivationScales);
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
    public void The_rows_of_7b_and_larger_models_below_10k_tokens_but_llama_70b_fp8_and_the_scaled_formats_throughput_are_held_to_the_tolerance()
    {
        Assert.All(Rows, p =>
        {
            var weights = p.Options.Engine.WeightDtype;
            var singleStream = p.Metric == CalibrationMetric.E2eMeanMs && p.Options.InputTokens < 10240
                && p.Options.Engine.Model.AliasOf != ModelCatalog.R1DistillQwen1_5B.Id && p.Options.Engine.Model.Id != ModelCatalog.R1DistillQwen1_5B.Id
                && !(p.Options.Engine.Model.PerTokenActivationScales && p.Options.Engine.TensorParallel == 2)
                && !(weights == DType.Int4 && p.Options.Engine.Gpu == GpuCatalog.A100_80G && p.Options.InputTokens == 4096);
            var scaledThroughput = p.Metric == CalibrationMetric.RequestsPerSecond && (weights is DType.Int4 or DType.Int8 || (weights == DType.Fp8 && p.Options.InputTokens < 10240))
                && !(weights == DType.Int4 && p.Options.Engine.Gpu == GpuCatalog.H100Sxm && p.Options.OutputTokens == 1024 && p.Options.Engine.Model.AliasOf == ModelCatalog.Qwen25_14B.Id);
            Assert.Equal(singleStream || scaledThroughput, p.Checked);
        });
        Assert.Contains(Rows, p => p.Checked);
        // Llama-70B's FP8-dynamic and W8A8 single stream on two GPUs is modelled slow, as its BF16 one is.
        Assert.All(Rows.Where(p => p.Options.Engine.Model.PerTokenActivationScales && p.Options.Engine.TensorParallel == 2 && p.Options.InputTokens < 10240),
            p => Assert.Equal(RedHatModelCardFigures.TwoGpuPerToken, p.Caveat));
    }

    [Fact]
    public void The_fp8_checkpoints_resolve_to_their_base_shapes_in_fp8()
    {
        var llama8B = ModelCatalog.Get("RedHatAI/DeepSeek-R1-Distill-Llama-8B-FP8-dynamic");
        Assert.Equal(DType.Fp8, llama8B.CheckpointDtype);
        Assert.Equal(ModelCatalog.Llama31_8B.Layers, llama8B.Layers);
    }
}
