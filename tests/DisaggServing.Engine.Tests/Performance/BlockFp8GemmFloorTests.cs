using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>vLLM's block-scaled FP8 linear layers on Hopper take a fixed latency each at a few rows.</summary>
public class BlockFp8GemmFloorTests
{
    private static readonly EngineProfile NoFloor = EngineProfiles.Vllm with { HopperBlockFp8GemmSeconds = 0 };

    private static EngineSpec Spec(string model, GpuSpec gpu, int tp, EngineProfile engine)
    {
        var spec = ModelCatalog.Get(model);
        return new EngineSpec { Model = spec, Gpu = gpu, TensorParallel = tp, WeightDtype = spec.CheckpointDtype ?? DType.Bf16, Engine = engine };
    }

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    // Step time with the profile's floor minus the same without it.
    private static double Added(string model, GpuSpec gpu, int tp, in BatchShape batch, EngineProfile? engine = null) =>
        new StepTimeModel(Spec(model, gpu, tp, engine ?? EngineProfiles.Vllm), EngineOverheads.None).StepSeconds(batch)
        - new StepTimeModel(Spec(model, gpu, tp, engine is null ? NoFloor : engine with { HopperBlockFp8GemmSeconds = 0 }), EngineOverheads.None).StepSeconds(batch);

    [Fact]
    public void Block_fp8_gemms_are_counted_from_the_architecture_and_only_for_block_scaled_checkpoints()
    {
        // DeepSeek-V3: MLA's q_a/kv_a, q_b and output projections, then a dense MLP or a shared expert: five a layer.
        Assert.Equal(5, BlockFp8Gemms.PerLayer(ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528")), 9);
        // Qwen3-235B FP8: QKV and output projections; its experts run in the fused MoE kernel.
        Assert.Equal(2, BlockFp8Gemms.PerLayer(ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8")), 9);
        Assert.Equal(0, BlockFp8Gemms.PerLayer(ModelCatalog.Get("nvidia/Qwen3-235B-A22B-FP8")));
        Assert.Equal(0, BlockFp8Gemms.PerLayer(ModelCatalog.Get("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic")));
        Assert.Equal(0, BlockFp8Gemms.PerLayer(ModelCatalog.Get("nvidia/DeepSeek-R1-0528-NVFP4-v2")));
    }

    [Fact]
    public void A_small_vllm_decode_step_of_deepseek_on_hopper_pays_the_floor_of_every_block_fp8_gemm_beyond_its_weight_read()
    {
        var added = Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, Decodes(4, 400));

        // 61 layers × 5 GEMMs × 12 µs = 3.7 ms of floor, less what the dense GEMMs take on their own at 4 rows.
        Assert.InRange(added, 2.4e-3, 3.66e-3);
    }

    [Fact]
    public void The_floor_fades_as_the_steps_rows_grow_and_is_gone_in_a_prefill_step()
    {
        var few = Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, Decodes(4, 400));
        var many = Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, Decodes(256, 400));

        Assert.True(many < few);
        Assert.Equal(0, Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, BatchShape.Of(8192, 0, isDecode: false)), 12);
    }

    [Fact]
    public void Per_tensor_fp8_blackwell_and_other_engines_do_not_pay_it()
    {
        var small = Decodes(4, 400);
        Assert.Equal(0, Added("nvidia/Qwen3-235B-A22B-FP8", GpuCatalog.H100Sxm, 4, small), 12);
        Assert.Equal(0, Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.B200, 8, small), 12);
        Assert.Equal(0, Added("deepseek-ai/DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, small, EngineProfiles.Sglang), 12);
        Assert.True(Added("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", GpuCatalog.H100Sxm, 4, small) > 0);
    }
}
