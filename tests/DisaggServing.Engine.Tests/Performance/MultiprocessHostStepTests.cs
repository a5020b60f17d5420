using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// Under async scheduling vLLM's host schedules and hands off each step while the GPU runs the one before; with worker
// processes (TP > 1) that host time is a floor under the step.
public class MultiprocessHostStepTests
{
    // A GPU step well under the host's: a 3B model on B200.
    private static readonly EngineSpec ShortStepTp8 = new()
    {
        Model = ModelCatalog.Get("meta-llama/Llama-3.2-3B-Instruct"), Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Bf16,
        Engine = EngineProfiles.Vllm, MaxNumSeqs = 512, MaxNumBatchedTokens = 8192, AllReduceFusion = true,
    };

    // The same step with the host's time on the critical path taken out: synchronous scheduling less what it adds.
    private static double WithoutFloor(EngineSpec spec, int decodes, int context = 1500) =>
        Step(spec with { SynchronousScheduling = true }, decodes, context) - EngineProfiles.Vllm.SyncSchedulingStepSeconds;

    private static double Step(EngineSpec spec, int decodes, int context = 1500, EngineOverheads? overheads = null) =>
        new StepTimeModel(spec, overheads).StepSeconds(BatchShape.Decodes(decodes, (long)decodes * context));

    [Fact]
    public void A_short_gpu_step_at_tp8_lasts_at_least_the_hosts_own_step()
    {
        var host = EngineProfiles.Vllm.MultiprocessHostStepSeconds + 4 * EngineProfiles.Vllm.MultiprocessHostSequenceSeconds;
        var step = Step(ShortStepTp8, 4);
        // The step without the floor is shorter than the host's: the floor sets it, joined with a little of the GPU's.
        Assert.True(WithoutFloor(ShortStepTp8, 4) < 0.9 * host);
        Assert.InRange(step, host, 1.05 * host);
        // Overheads given by the caller (EngineOverheads.None: the GPU alone) leave out every host cost, the floor too.
        Assert.True(Step(ShortStepTp8, 4, overheads: EngineOverheads.None) < 0.9 * host);
    }

    [Fact]
    public void One_process_synchronous_scheduling_and_long_steps_take_no_floor()
    {
        var host = EngineProfiles.Vllm.MultiprocessHostStepSeconds;
        // TP1 runs its worker in the engine's process: nothing to hand off.
        Assert.True(Step(ShortStepTp8 with { TensorParallel = 1 }, 1, context: 100) < host);
        // Synchronous scheduling pays its host time on top instead (SyncSchedulingStepSeconds), with no floor under the GPU's step.
        Assert.True(Step(ShortStepTp8 with { SynchronousScheduling = true }, 4) < host + EngineProfiles.Vllm.SyncSchedulingStepSeconds);
        // A step the GPU takes far longer than the host keeps its own time (the join adds under a percent).
        var llama = new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm };
        Assert.InRange(Step(llama, 64, 2000) / WithoutFloor(llama, 64, 2000), 1.0, 1.01);
        Assert.Equal(0, EngineProfiles.Trtllm.MultiprocessHostStepSeconds);
    }
}
