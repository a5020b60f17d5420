using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Simulation;

// vLLM's async scheduling builds step N+1 while step N runs: a request that reaches a busy engine joins the step after
// next, one step later than under synchronous scheduling; a request that finds the engine idle is scheduled at once.
public class ScheduledAheadSimulationTests
{
    // The same step costs either way (no synchronous-scheduling host time), so only the admission differs.
    private static EstimateResult Run(bool ahead, int clients) => Estimator.Run(new EstimateOptions
    {
        Engine = new EngineSpec
        {
            Model = ModelCatalog.Get("meta-llama/Meta-Llama-3.1-8B"), Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Bf16,
            Engine = EngineProfiles.Vllm with { SyncSchedulingStepSeconds = 0 }, SynchronousScheduling = !ahead,
        },
        InputTokens = 512, OutputTokens = 128, Concurrency = clients, Requests = 20 * clients, Measure = MeasureWindow.All,
    });

    [Fact]
    public void A_prompt_reaching_a_busy_engine_that_schedules_ahead_waits_one_step_more()
    {
        var ahead = Run(ahead: true, clients: 16);
        var synchronous = Run(ahead: false, clients: 16);
        var gap = ahead.TtftMeanMs!.Value - synchronous.TtftMeanMs!.Value;
        var step = synchronous.ItlMeanMs!.Value;
        Assert.InRange(gap, 0.5 * step, 1.5 * step);
        Assert.Equal(synchronous.ItlMeanMs!.Value, ahead.ItlMeanMs!.Value, 0.05 * step);
    }

    [Fact]
    public void A_lone_client_finds_the_engine_idle_and_is_scheduled_at_once()
    {
        Assert.Equal(Run(ahead: false, clients: 1).TtftMeanMs!.Value, Run(ahead: true, clients: 1).TtftMeanMs!.Value, 3);
    }
}
