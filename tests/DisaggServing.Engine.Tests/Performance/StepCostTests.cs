using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class StepCostTests
{
    private static double Stage(double compute, double memory) => new StepCost(compute, memory, 0, 0, 0, 0, 1).TotalSeconds;

    [Fact]
    public void Far_from_the_ridge_the_larger_of_compute_and_memory_sets_the_step()
    {
        Assert.InRange(Stage(10e-3, 0.5e-3), 10e-3, 10.02e-3);
        Assert.InRange(Stage(0.5e-3, 10e-3), 10e-3, 10.02e-3);
    }

    [Fact]
    public void At_the_ridge_compute_and_memory_overlap_only_partly()
    {
        var both = Stage(10e-3, 10e-3);
        Assert.True(both > 10e-3 * 1.3, $"{both * 1e3:F2} ms");
        Assert.True(both < 20e-3, "compute and memory still overlap in part");
    }

    [Fact]
    public void The_step_never_shrinks_when_either_part_grows()
    {
        var previous = 0.0;
        foreach (var memory in new[] { 1e-3, 2e-3, 5e-3, 10e-3, 20e-3 })
        {
            var step = Stage(5e-3, memory);
            Assert.True(step >= previous);
            previous = step;
        }
    }

    [Fact]
    public void An_eager_steps_host_launches_overlap_its_gpu_time_rather_than_add_to_it()
    {
        var gpu = new StepCost(20e-3, 1e-3, 0, 0, 0, 0, 1).TotalSeconds;
        var eager = new StepCost(20e-3, 1e-3, 0, 0, 0, 0, 1, HostLaunchSeconds: 60e-3).TotalSeconds;
        Assert.True(eager > 60e-3, "the host's launches bound the step");
        Assert.True(eager < 60e-3 + gpu, "the GPU runs what is queued while the host launches the rest");
    }

    [Fact]
    public void A_decode_batchs_kv_stream_does_not_hide_behind_its_gemms_math()
    {
        var merged = new StepCost(20e-3, 10e-3, 0, 0, 0, 0, 1).TotalSeconds;
        var split = new StepCost(20e-3, 5e-3, 0, 0, 0, 0, 1, AttentionComputeSeconds: 0, KvSeconds: 5e-3).TotalSeconds;
        Assert.True(split > merged, $"{split * 1e3:F2} ms vs {merged * 1e3:F2} ms");
    }
}
