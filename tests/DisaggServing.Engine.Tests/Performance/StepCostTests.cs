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
}
