using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class AllReduceSizeTests
{
    private static readonly EngineSpec Llama405 = new()
    {
        Model = ModelCatalog.Llama31_405B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static double TpComm(EngineProfile engine, BatchShape batch) =>
        new StepTimeModel(Llama405 with { Engine = engine }, EngineOverheads.None).Cost(batch).TpCommSeconds;

    private static BatchShape Decodes(int sequences)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, 1000, isDecode: true);
        return shape;
    }

    [Fact]
    public void Tensorrt_llm_all_reduces_of_a_decode_batch_run_at_a_lower_bus_bandwidth_than_a_prefill_steps()
    {
        var flat = EngineProfiles.Trtllm with { AllReduceSmallEfficiency = 1 };
        // 300 decodes of Llama-3.1-405B: 9.8 MB a message, well below the 16 MB half-way point: most of the halved rate.
        var decode = Decodes(300);
        Assert.InRange(TpComm(EngineProfiles.Trtllm, decode) / TpComm(flat, decode), 1.4, 1.62);
        // An 8,192-token prefill: 268 MB a message, close to the large-message rate.
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.InRange(TpComm(EngineProfiles.Trtllm, prefill) / TpComm(flat, prefill), 1, 1.07);
    }

    [Fact]
    public void Engines_that_run_nccl_sized_all_reduces_keep_the_gpus_rate_at_every_size()
    {
        var decode = Decodes(300);
        Assert.Equal(1, EngineProfiles.Vllm.AllReduceSmallEfficiency);
        Assert.Equal(1, EngineProfiles.Sglang.AllReduceSmallEfficiency);
        // The same step on vLLM differs from TensorRT-LLM's only by vLLM's fixed unfused cost per all-reduce.
        var vllm = TpComm(EngineProfiles.Vllm, decode);
        var trtFlat = TpComm(EngineProfiles.Trtllm with { AllReduceSmallEfficiency = 1 }, decode);
        Assert.Equal(trtFlat + 2 * 126 * EngineProfiles.Vllm.UnfusedAllReduceSeconds, vllm, 9);
    }

    private static double TpComm(GpuSpec gpu, EngineProfile engine, BatchShape batch) =>
        new StepTimeModel(new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = gpu, TensorParallel = 8, WeightDtype = DType.Fp4, Engine = engine },
            EngineOverheads.None).Cost(batch).TpCommSeconds;

    [Fact]
    public void A_b200_tp8_decode_steps_all_reduces_cost_more_than_hoppers_curve_would_give_at_the_same_bytes()
    {
        // 1,000 decodes of Llama-3.3-70B: 16 MB a message, half-way on Hopper's curve, further from the large-message rate on NVLink 5.
        var decode = Decodes(1000);
        var hopperCurve = GpuCatalog.B200 with { AllReduceHalfBytesScale = 1 };
        var ratio = TpComm(GpuCatalog.B200, EngineProfiles.Trtllm, decode) / TpComm(hopperCurve, EngineProfiles.Trtllm, decode);
        Assert.InRange(ratio, 1.05, 1.2);
        // An 8,192-token prefill (134 MB a message) stays near the large-message rate either way.
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.InRange(TpComm(GpuCatalog.B200, EngineProfiles.Trtllm, prefill) / TpComm(hopperCurve, EngineProfiles.Trtllm, prefill), 1, 1.1);
    }

    [Fact]
    public void Only_b200_scales_the_mid_size_curve_and_engines_without_one_do_not_move()
    {
        Assert.Equal(2, GpuCatalog.B200.AllReduceHalfBytesScale);
        Assert.All(GpuCatalog.All.Values.Where(g => g.Id != "b200"), g => Assert.Equal(1, g.AllReduceHalfBytesScale));
        // vLLM keeps the GPU's rate at every size, so the scale changes nothing there.
        var decode = Decodes(1000);
        Assert.Equal(TpComm(GpuCatalog.B200 with { AllReduceHalfBytesScale = 1 }, EngineProfiles.Vllm, decode), TpComm(GpuCatalog.B200, EngineProfiles.Vllm, decode), 12);
    }
    [Fact]
    public void A_small_all_reduces_fixed_latency_grows_with_log2_of_the_ranks_from_the_four_it_was_fitted_at()
    {
        var gpu = GpuCatalog.H100Sxm;
        Assert.Equal(gpu.CollectiveLatencySeconds, gpu.AllReduceLatencySeconds(4), 12);
        Assert.Equal(gpu.CollectiveLatencySeconds * 2 / 3, gpu.AllReduceLatencySeconds(2), 12);
        Assert.Equal(gpu.CollectiveLatencySeconds * 4 / 3, gpu.AllReduceLatencySeconds(8), 12);

        // One decode of Llama-3.1-8B (a 8 KB message): its 64 all-reduces a step are all latency. Per all-reduce, TP2 pays
        // the engine's fixed cost of an unfused one and two thirds of the GPU's, TP8 four thirds of it.
        double PerAllReduce(int tp) => new StepTimeModel(new EngineSpec
            {
                Model = ModelCatalog.Llama31_8B, Gpu = gpu, TensorParallel = tp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm, AllReduceFusion = false,
            }, EngineOverheads.None).Cost(Decodes(1)).TpCommSeconds / (2 * ModelCatalog.Llama31_8B.Layers);
        var unfused = EngineProfiles.Vllm.UnfusedAllReduceSeconds;
        Assert.InRange(PerAllReduce(2) - unfused, gpu.AllReduceLatencySeconds(2), gpu.AllReduceLatencySeconds(2) * 1.02);
        Assert.InRange(PerAllReduce(8) - unfused, gpu.AllReduceLatencySeconds(8), gpu.AllReduceLatencySeconds(8) * 1.02);
    }
}
