using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// vLLM before 0.14 (or --no-async-scheduling) schedules a step only once the last one's tokens are back.
public class SynchronousSchedulingTests
{
    private static readonly EngineSpec Async = new()
    {
        Model = ModelCatalog.Qwen3_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm, MaxNumSeqs = 1024, MaxNumBatchedTokens = 8192,
    };

    private static readonly EngineSpec Sync = Async with { SynchronousScheduling = true };

    [Fact]
    public void Synchronous_scheduling_adds_the_vllm_sync_step_cost_to_every_step()
    {
        foreach (var (tokens, context, decode) in new[] { (1, 500, true), (64, 2000, true), (8192, 0, false) })
        {
            var shape = BatchShape.Of(tokens, context, decode);
            var added = new StepTimeModel(Sync).StepSeconds(shape) - new StepTimeModel(Async).StepSeconds(shape);
            Assert.Equal(EngineProfiles.Vllm.SyncSchedulingStepSeconds, added, 9);
        }
        Assert.True(EngineProfiles.Vllm.SyncSchedulingStepSeconds > 0);
    }

    [Fact]
    public void A_single_client_decode_under_synchronous_scheduling_is_slower_by_about_the_sync_step()
    {
        EstimateOptions Options(EngineSpec engine) => new()
        {
            Engine = engine, InputTokens = 233, OutputTokens = 221, Concurrency = 1, Requests = 20, Measure = MeasureWindow.All,
        };
        var async = Estimator.Run(Options(Async)).ItlMeanMs!.Value;
        var sync = Estimator.Run(Options(Sync)).ItlMeanMs!.Value;
        Assert.InRange(sync - async, 0.9 * EngineProfiles.Vllm.SyncSchedulingStepSeconds * 1e3, 1.1 * EngineProfiles.Vllm.SyncSchedulingStepSeconds * 1e3);
    }

    [Fact]
    public void Every_engine_can_schedule_synchronously_and_pays_its_own_host_step_for_it()
    {
        var shape = BatchShape.Of(1, 500, true);
        foreach (var profile in new[] { EngineProfiles.Vllm, EngineProfiles.Sglang, EngineProfiles.Trtllm })
        {
            var overlapped = Async with { Engine = profile };
            var synchronous = (Sync with { Engine = profile }).Validate();
            Assert.True(profile.SyncSchedulingStepSeconds > 0, profile.Name);
            Assert.Equal(profile.SyncSchedulingStepSeconds, new StepTimeModel(synchronous).StepSeconds(shape) - new StepTimeModel(overlapped).StepSeconds(shape), 9);
        }
    }

    [Fact]
    public void The_command_line_carries_async_scheduling_off_only_when_scheduling_is_synchronous()
    {
        EstimateOptions Options(EngineSpec engine) => new() { Engine = engine, InputTokens = 128, OutputTokens = 128, Concurrency = 4 };
        Assert.Contains("--async-scheduling off", EstimateCommandLine.Format(Options(Sync)));
        Assert.DoesNotContain("--async-scheduling", EstimateCommandLine.Format(Options(Async)));
    }
}
