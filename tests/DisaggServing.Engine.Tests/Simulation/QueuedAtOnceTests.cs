using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Simulation;

public class QueuedAtOnceTests
{
    // Eight 512-token prompts, 4,096 tokens in all: one step's budget (8,192) takes them together.
    private static EstimateResult Run(int? clients) => Estimator.Run(new EstimateOptions
    {
        Engine = new EngineSpec { Model = ModelCatalog.Get("meta-llama/Llama-3.1-8B-Instruct"), Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm },
        InputTokens = 512, OutputTokens = 32, Requests = 8, Concurrency = clients, Measure = MeasureWindow.All,
    });

    [Fact]
    public void An_offline_run_queues_every_request_before_the_first_step_so_all_its_prompts_share_it()
    {
        var offline = Run(clients: null);
        Assert.InRange(offline.TtftMeanMs!.Value / offline.TtftMs!.Value, 0.999, 1.001);
    }

    [Fact]
    public void A_served_engine_starts_stepping_on_its_first_arrival_so_the_other_clients_wait_behind_that_step()
    {
        // Eight clients sending at t=0: the first request's prompt is stepped alone, the other seven share the next step.
        var served = Run(clients: 8);
        var offline = Run(clients: null);
        Assert.True(served.TtftMs > offline.TtftMs, $"served p50 {served.TtftMs} ms, offline {offline.TtftMs} ms");
        Assert.True(served.TtftMeanMs < served.TtftMs, $"served mean {served.TtftMeanMs} ms, p50 {served.TtftMs} ms");
    }
}
