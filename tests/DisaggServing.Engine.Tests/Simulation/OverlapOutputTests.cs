using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Simulation;

public class OverlapOutputTests
{
    private static EngineSpec Sglang(bool overlap, bool mixed) => new()
    {
        Model = ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Fp8,
        Engine = EngineProfiles.Sglang with { OutputAfterNextLaunch = overlap }, MixedPrefillDecode = mixed,
    };

    private static EstimateResult Run(bool overlap, bool mixed, int clients) => Estimator.Run(new EstimateOptions
    {
        Engine = Sglang(overlap, mixed), Workload = WorkloadSpec.Uniform(1, 991, 1, 1017), Concurrency = clients,
        Requests = 5 * clients, Measure = MeasureWindow.All,
    });

    [Fact]
    public void Tokens_held_until_the_next_launch_delay_first_tokens_behind_an_eager_prefill_but_not_behind_a_graph_replay()
    {
        // Eight short prompts queued at once, one per step: each step after the first launches eagerly (its prefill)
        // while the one before has little GPU work left, so that step's first token waits for most of the launch.
        EstimateResult Queued(bool overlap) => Estimator.Run(new EstimateOptions
        {
            Engine = Sglang(overlap, mixed: true) with { MaxNumBatchedTokens = 512 }, InputTokens = 512, OutputTokens = 4,
            Concurrency = 8, Requests = 8, Measure = MeasureWindow.All,
        });
        var held = Queued(overlap: true);
        var immediate = Queued(overlap: false);
        Assert.True(held.TtftMeanMs > immediate.TtftMeanMs + 50, $"held {held.TtftMeanMs} vs immediate {immediate.TtftMeanMs}");
        // One client: the step after its prefill is a decode replayed from a CUDA graph, launched at once.
        Assert.Equal(Run(overlap: false, mixed: true, clients: 1).TtftMeanMs!.Value, Run(overlap: true, mixed: true, clients: 1).TtftMeanMs!.Value, 6);
    }

    [Fact]
    public void A_prefill_batch_launched_while_the_decode_step_before_it_runs_pauses_decodes_for_less()
    {
        var overlapped = Run(overlap: true, mixed: false, clients: 16);
        var serial = Run(overlap: false, mixed: false, clients: 16);
        Assert.True(overlapped.ItlMeanMs < serial.ItlMeanMs, $"overlapped {overlapped.ItlMeanMs} vs serial {serial.ItlMeanMs}");
    }
}
