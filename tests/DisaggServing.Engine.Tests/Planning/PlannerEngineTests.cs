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
}
