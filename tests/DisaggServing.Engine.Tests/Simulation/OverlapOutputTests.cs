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
    public void Tokens_held_until_the_next_launch_delay_loaded_first_tokens_behind_eager_prefills_but_not_a_lone_client()
    {
        Assert.True(Run(overlap: true, mixed: true, clients: 100).TtftMeanMs > Run(overlap: false, mixed: true, clients: 100).TtftMeanMs);
        // One client: the step after its prefill is a graph-replayed decode, launched at once.
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
