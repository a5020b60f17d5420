using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class NasStepTimeTests
{
    // Super's stack with every layer whole: 80 layers of attention and a 28,672-wide MLP, Llama-3.3-70B's shapes.
    private static readonly ModelSpec Whole = ModelCatalog.NemotronSuper49B with { Nas = null };

    private static EngineSpec Spec(ModelSpec model, int tp = 4, int pp = 1) => new()
    {
        Model = model, Gpu = GpuCatalog.H100Sxm, TensorParallel = tp, PipelineParallel = pp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm,
    };

    private static StepCost Decode(EngineSpec spec)
    {
        var batch = new BatchShape();
        for (var i = 0; i < 32; i++) batch.Add(1, 4096, true);
        return new StepTimeModel(spec, EngineOverheads.None).Cost(batch);
    }

    [Fact]
    public void Only_the_layers_that_keep_attention_read_kv_and_attend()
    {
        var nas = Decode(Spec(ModelCatalog.NemotronSuper49B));
        var whole = Decode(Spec(Whole));

        Assert.Equal(49.0 / 80, nas.KvSeconds / whole.KvSeconds, 6);
        Assert.Equal(49.0 / 80, nas.AttentionComputeSeconds / whole.AttentionComputeSeconds, 6);
        Assert.Equal(49.0 / 80, MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.NemotronSuper49B)) / MemoryModel.KvBytesPerTokenPerGpu(Spec(Whole)), 6);
    }

    [Fact]
    public void Each_kept_sub_layer_all_reduces_once_under_tp()
    {
        var nas = Decode(Spec(ModelCatalog.NemotronSuper49B));
        var whole = Decode(Spec(Whole));

        // 49 attention and 80 MLP all-reduces against 80 and 80.
        Assert.Equal((49.0 + 80) / 160, nas.TpCommSeconds / whole.TpCommSeconds, 6);
        Assert.Equal(0, Decode(Spec(ModelCatalog.NemotronSuper49B, tp: 1)).TpCommSeconds);
    }

    [Fact]
    public void The_weights_read_each_step_are_the_stack_s_own()
    {
        var nas = Decode(Spec(ModelCatalog.NemotronSuper49B));
        var whole = Decode(Spec(Whole));

        // The layers' FP8 weights plus the BF16 LM head, per GPU: 49.9B against 70.6B parameters.
        var lmHead = ModelCatalog.NemotronSuper49B.LmHeadParams;
        var expected = (ModelCatalog.NemotronSuper49B.TotalParams - ModelCatalog.NemotronSuper49B.EmbeddingParams + 2 * lmHead)
            / (Whole.TotalParams - Whole.EmbeddingParams + 2 * lmHead);
        Assert.Equal(expected, nas.MemorySeconds / whole.MemorySeconds, 6);
        Assert.InRange(ModelCatalog.NemotronSuper49B.TotalParams / Whole.TotalParams, 0.70, 0.71);
    }

    [Fact]
    public void A_layer_without_attention_launches_fewer_kernels()
    {
        var nas = LayerKernels.PerLayer(ModelCatalog.NemotronSuper49B, DType.Fp8, 4);
        var whole = LayerKernels.PerLayer(Whole, DType.Fp8, 4);

        // A dropped attention takes its 8 kernels (6 and two input quantizations) and its all-reduce with it: 31 of 80 layers.
        Assert.Equal(whole - 31.0 / 80 * 9, nas, 6);
    }

    [Fact]
    public void A_pipeline_stage_holds_its_share_of_the_attention_layers()
    {
        var spec = Spec(ModelCatalog.NemotronSuper49B, tp: 1, pp: 2);

        Assert.Equal(40, spec.LayersPerStage);
        Assert.Equal(40 * 49.0 / 80, spec.AttentionLayersPerStage, 6);
        Assert.Equal(Spec(Whole, tp: 1, pp: 2).LayersPerStage, spec.AttentionLayersPerStage * 80 / 49, 6);
    }
}
