using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Planning;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Planning;

public class PlannerEngineTests
{
    private static PlanRequest Request(EngineProfile engine, bool tensorRtEngine) => new()
    {
        Model = ModelCatalog.Llama31_8B, InstanceTypes = [InstanceCatalog.ForGpu(GpuCatalog.H100Sxm)], Workload = WorkloadSpec.ShareGpt,
        Rate = 1, Slo = new SloSpec(500, 50), UsdPerHour = new Dictionary<string, double>(), Engine = engine, TensorRtEngine = tensorRtEngine,
    };

    [Fact]
    public void Candidates_take_the_requests_engine_at_its_defaults_and_tensorrt_engines_where_it_asks_for_them()
    {
        var instance = InstanceCatalog.ForGpu(GpuCatalog.H100Sxm);
        var nim = Planner.Engine(Request(EngineProfiles.Trtllm, tensorRtEngine: true), instance, 2);
        Assert.True(nim.TensorRtEngine);
        Assert.Equal((2, EngineProfiles.Trtllm.ChunkedPrefill), (nim.TensorParallel, nim.EnableChunkedPrefill));
        Assert.False(Planner.Engine(Request(EngineProfiles.Trtllm, tensorRtEngine: false), instance, 2).TensorRtEngine);
        Assert.False(Planner.Engine(Request(EngineProfiles.Vllm, tensorRtEngine: false), instance, 1).TensorRtEngine);
    }

    [Fact]
    public void A_search_whose_engine_refuses_the_checkpoint_on_every_gpu_says_why_instead_of_blaming_memory()
    {
        // TensorRT-LLM has no FP8 kernels on A100: no layout is left, and the memory hint (--dtype fp8) would mislead.
        var request = Request(EngineProfiles.Trtllm, tensorRtEngine: false) with
        {
            Model = ModelCatalog.Llama33_70B, WeightDtype = DType.Fp8, InstanceTypes = [InstanceCatalog.ForGpu(GpuCatalog.A100_80G)],
            UsdPerHour = new Dictionary<string, double> { ["p4de.24xlarge"] = 40.97 },
        };
        var error = Assert.Throws<InputException>(() => Planner.Plan(request));
        Assert.Contains("cannot be served on any GPU searched", error.Message, StringComparison.Ordinal);
        Assert.Contains("a100-80g: --dtype fp8 needs FP8 tensor cores under trtllm", error.Message, StringComparison.Ordinal);
    }
}
