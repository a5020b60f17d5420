using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class QkNormAllReduceTests
{
    private static EngineSpec MiniMax(int tp, ModelSpec? model = null) => new()
    {
        Model = model ?? ModelCatalog.MiniMaxM2, Gpu = GpuCatalog.B200, TensorParallel = tp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm,
    };

    private static double TpComm(EngineSpec spec) =>
        new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Of(1, 2048, isDecode: true)).TpCommSeconds;

    [Fact]
    public void A_qk_norm_over_all_heads_adds_one_latency_bound_all_reduce_a_layer_under_tp()
    {
        var perHead = ModelCatalog.MiniMaxM2 with { QkNormAcrossHeads = false };
        var extra = TpComm(MiniMax(4)) - TpComm(MiniMax(4, perHead));
        var arLatency = GpuCatalog.B200.AllReduceLatencySeconds(4) + EngineProfiles.Vllm.UnfusedAllReduceSeconds;
        Assert.InRange(extra / (ModelCatalog.MiniMaxM2.Layers * arLatency), 1, 1.01);
        Assert.Equal(1, LayerKernels.PerLayer(ModelCatalog.MiniMaxM2, DType.Fp8, 4) - LayerKernels.PerLayer(perHead, DType.Fp8, 4), 6);
    }

    [Theory]
    [InlineData(ServingEngine.Vllm, "0.12.0", "0.14.0")]
    [InlineData(ServingEngine.Sglang, "0.5.6", "0.5.7")]
    public void A_release_that_normalizes_q_and_k_apart_pays_a_second_all_reduce_and_three_more_kernels_a_layer(ServingEngine engine, string split, string joined)
    {
        var profile = engine == ServingEngine.Vllm ? EngineProfiles.Vllm : EngineProfiles.Sglang;
        var spec = MiniMax(4) with { Engine = profile };
        var before = spec.AsReleased(EngineRelease.Parse(split, "release"));
        var after = spec.AsReleased(EngineRelease.Parse(joined, "release"));
        Assert.True(before.ReleaseDefaults.SplitQkNorm);
        Assert.False(after.ReleaseDefaults.SplitQkNorm);
        Assert.False(spec.ReleaseDefaults.SplitQkNorm);

        var arLatency = GpuCatalog.B200.AllReduceLatencySeconds(4) + profile.UnfusedAllReduceSeconds;
        Assert.InRange((TpComm(before) - TpComm(after)) / (ModelCatalog.MiniMaxM2.Layers * arLatency), 0.99, 1.01);
        Assert.Equal(3, LayerKernels.PerLayer(ModelCatalog.MiniMaxM2, DType.Fp8, 4, splitQkNorm: true) - LayerKernels.PerLayer(ModelCatalog.MiniMaxM2, DType.Fp8, 4), 6);
    }

    [Fact]
    public void Only_a_model_whose_qk_norm_spans_every_head_takes_the_split_from_an_older_release()
    {
        var llama = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.B200, TensorParallel = 4, Engine = EngineProfiles.Vllm };
        Assert.False(llama.AsReleased(new EngineRelease(0, 12, 0)).ReleaseDefaults.SplitQkNorm);
    }

    [Fact]
    public void One_gpu_holds_every_head_and_exchanges_nothing()
    {
        Assert.Equal(0, TpComm(MiniMax(1)));
        var perHead = ModelCatalog.MiniMaxM2 with { QkNormAcrossHeads = false };
        Assert.Equal(LayerKernels.PerLayer(perHead, DType.Fp8, 1), LayerKernels.PerLayer(ModelCatalog.MiniMaxM2, DType.Fp8, 1));
    }

    [Fact]
    public void MiniMax_m2_5_resolves_to_m2s_geometry_with_its_block_fp8_weights()
    {
        var m25 = ModelCatalog.Get("MiniMaxAI/MiniMax-M2.5");
        Assert.Equal(ModelCatalog.MiniMaxM2.Layers, m25.Layers);
        Assert.True(m25.QkNormAcrossHeads && m25.BlockScaledFp8);
        Assert.Equal(DType.Fp8, m25.CheckpointDtype);
    }
}
