using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Calibration;

// kvcached's vanilla vLLM 0.19 baseline: Qwen3-0.6B on one H100, 500 random 512/128 prompts at once.
public class KvcachedVanillaFiguresTests
{
    [Fact]
    public void The_vanilla_baseline_is_one_held_out_requests_per_second_row_launched_at_half_the_gpu_memory()
    {
        var row = Assert.Single(CalibrationSet.Points, p => p.Source == KvcachedVanillaFigures.Source);
        Assert.True(row.HeldOut);
        Assert.Equal(CalibrationMetric.RequestsPerSecond, row.Metric);
        Assert.Equal(ModelCatalog.Qwen3_0_6B, row.Options.Engine.Model);
        Assert.False(row.Options.Engine.SynchronousScheduling);
        Assert.Contains(" --gpu-memory-utilization 0.5 ", row.Command, StringComparison.Ordinal);
        Assert.Equal(500, row.Options.Requests);
        Assert.Null(row.Options.Concurrency);
    }
}
