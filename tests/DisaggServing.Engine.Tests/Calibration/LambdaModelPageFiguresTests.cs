using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

public class LambdaModelPageFiguresTests
{
    private static readonly CalibrationPoint[] Rows = LambdaModelPageFigures.Points().Where(p => p.Source == LambdaModelPageFigures.Source).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_32_client_vllm_run_of_8k_prompts_in_its_checkpoints_own_format_at_tp_the_gpus()
    {
        Assert.Equal(15, Rows.Length);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(ServingEngine.Vllm, p.Options.Engine.Engine.Engine);
            Assert.Equal((32, 512, 8192, 1024), (p.Options.Concurrency, p.Options.Requests, p.Options.InputTokens, p.Options.OutputTokens));
            Assert.Equal(ModelCatalog.Nemotron3Super120B.Id, p.Options.Engine.Model.AliasOf ?? p.Options.Engine.Model.Id);
            Assert.Equal(p.Options.Engine.Model.CheckpointDtype ?? DType.Bf16, p.Options.Engine.WeightDtype);
        });
        Assert.Equal(["a100-80g", "b200", "h100-sxm"], Rows.Select(p => p.Options.Engine.Gpu.Id).Distinct().Order(StringComparer.Ordinal));
        // The published TTFTs (4.0-6.7 s) are not held: every one carries its caveat.
        Assert.All(Rows.Where(p => p.Metric == CalibrationMetric.TtftMeanMs), p => Assert.NotNull(p.Caveat));
    }

    [Fact]
    public void The_qwen3_5_tables_are_held_out_32_client_chat_runs_of_the_bf16_checkpoint_on_eight_b200s_by_vllm_and_sglang()
    {
        var qwen = LambdaModelPageFigures.Points().Where(p => p.Source is LambdaModelPageFigures.QwenSource or LambdaModelPageFigures.QwenSglangSource).ToArray();
        Assert.Equal(9, qwen.Length);
        Assert.All(qwen, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(("Qwen/Qwen3.5-397B-A17B", "b200", 8, DType.Bf16), (p.Options.Engine.Model.Id, p.Options.Engine.Gpu.Id, p.Options.Engine.TensorParallel, p.Options.Engine.WeightDtype));
            Assert.Equal((32, 512, 8192, 1024, ApiEndpoint.Chat), (p.Options.Concurrency, p.Options.Requests, p.Options.InputTokens, p.Options.OutputTokens, p.Options.Endpoint));
        });
        Assert.Equal(2, qwen.Select(p => p.Options.Engine.Engine.Engine).Distinct().Count());
        // The decode holds; the waves' TTFT (and the throughput that waits on them) carry their caveat.
        Assert.All(qwen.Where(p => p.Metric == CalibrationMetric.ItlMeanMs), p => Assert.Null(p.Caveat));
        Assert.All(qwen.Where(p => p.Metric == CalibrationMetric.TtftMeanMs), p => Assert.NotNull(p.Caveat));
    }

    [Fact]
    public void The_minimax_table_is_held_out_sglang_chat_runs_of_the_fp8_checkpoint_on_two_b200s_and_four_h100s()
    {
        var minimax = LambdaModelPageFigures.Points().Where(p => p.Source == LambdaModelPageFigures.MiniMaxSource).ToArray();
        Assert.Equal(6, minimax.Length);
        Assert.All(minimax, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal((ServingEngine.Sglang, "MiniMaxAI/MiniMax-M2.5", DType.Fp8), (p.Options.Engine.Engine.Engine, p.Options.Engine.Model.Id, p.Options.Engine.WeightDtype));
            Assert.Equal((32, 512, 8192, 1024, ApiEndpoint.Chat), (p.Options.Concurrency, p.Options.Requests, p.Options.InputTokens, p.Options.OutputTokens, p.Options.Endpoint));
        });
        Assert.Equal([("b200", 2), ("h100-sxm", 4)], minimax.Select(p => (p.Options.Engine.Gpu.Id, p.Options.Engine.TensorParallel)).Distinct().Order());
        // Throughput and ITL are held (the H100s' decode since SGLang's KV pool is sized by its static fraction); the TTFTs carry their caveat.
        Assert.All(minimax.Where(p => p.Metric != CalibrationMetric.TtftMeanMs), p => Assert.Null(p.Caveat));
        Assert.All(minimax.Where(p => p.Metric == CalibrationMetric.TtftMeanMs), p => Assert.NotNull(p.Caveat));
    }
}
