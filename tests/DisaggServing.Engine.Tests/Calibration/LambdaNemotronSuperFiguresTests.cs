using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

public class LambdaNemotronSuperFiguresTests
{
    private static readonly CalibrationPoint[] Rows = LambdaNemotronSuperFigures.Points().ToArray();

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
}
