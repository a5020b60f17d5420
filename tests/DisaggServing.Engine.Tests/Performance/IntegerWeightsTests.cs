using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>INT8 W8A8 and INT4 W4A16 weights: what each saves in the step, and what the W4A16 kernels' unpacking costs.</summary>
public class IntegerWeightsTests
{
    private static StepCost Cost(DType weights, GpuSpec gpu, BatchShape batch) =>
        new StepTimeModel(new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = gpu, WeightDtype = weights, Engine = EngineProfiles.Vllm }).Cost(batch);

    private static BatchShape OneDecode()
    {
        var shape = new BatchShape();
        shape.Add(1, 1024, isDecode: true);
        return shape;
    }

    private static BatchShape Prefill(int tokens)
    {
        var shape = new BatchShape();
        shape.Add(tokens, 0, isDecode: false);
        return shape;
    }

    [Theory]
    [InlineData("a100-80g", 0.75)]
    [InlineData("h100-sxm", 0.5)]
    public void A_w4a16_decode_reads_a_quarter_of_the_linear_weights_at_its_kernels_share_of_the_hbm_rate(string gpuId, double share)
    {
        var gpu = GpuCatalog.Get(gpuId);
        Assert.Equal(share, W4A16Kernels.WeightStream(gpu));
        var m = ModelCatalog.Llama31_8B;
        var bf16 = Cost(DType.Bf16, gpu, OneDecode()).MemorySeconds;
        var int4 = Cost(DType.Int4, gpu, OneDecode()).MemorySeconds;
        // The LM head stays BF16; the quantized layers' 16-bit bytes become 0.515625 ÷ share of the time each.
        var hbmEfficiency = new EngineSpec { Model = m, Gpu = gpu, Engine = EngineProfiles.Vllm }.EffectiveConstants.HbmEfficiency;
        var headShare = m.LmHeadParams * 2 / (bf16 * gpu.HbmBandwidth * hbmEfficiency);
        var expected = headShare + (1 - headShare) * DType.Int4.Bytes() / 2 / share;
        Assert.Equal(expected, int4 / bf16, 3);
        Assert.True(int4 < bf16 * 0.6, "four-bit weights still read much faster than BF16 ones at one sequence");
    }

    [Fact]
    public void Int8_w8a8_halves_the_prefill_gemm_time_on_the_a100_which_has_int8_tensor_cores_but_no_fp8()
    {
        var bf16 = Cost(DType.Bf16, GpuCatalog.A100_80G, Prefill(8192)).ComputeSeconds;
        var int8 = Cost(DType.Int8, GpuCatalog.A100_80G, Prefill(8192)).ComputeSeconds;
        var fp8 = Cost(DType.Fp8, GpuCatalog.A100_80G, Prefill(8192)).ComputeSeconds;
        Assert.InRange(int8 / bf16, 0.45, 0.6); // the BF16 LM head keeps its rate
        Assert.Equal(bf16, fp8, 9); // no FP8 tensor cores: FP8 costs as BF16 there
    }

    [Fact]
    public void W4a16_multiplies_at_bf16_s_rate_so_a_long_prefill_saves_nothing_over_bf16()
    {
        var bf16 = Cost(DType.Bf16, GpuCatalog.H100Sxm, Prefill(8192)).ComputeSeconds;
        var int4 = Cost(DType.Int4, GpuCatalog.H100Sxm, Prefill(8192)).ComputeSeconds;
        Assert.Equal(bf16, int4, 9);
    }

    [Fact]
    public void An_integer_kv_cache_is_refused_naming_the_formats_that_are()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Int4, KvCacheDtype = DType.Int8, Engine = EngineProfiles.Vllm };
        var error = Assert.Throws<InputException>(() => spec.Validate());
        Assert.Contains("--kv-cache-dtype int8 is not supported; use fp8 or bf16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vllm")]
    [InlineData("trtllm")]
    public void Integer_checkpoints_keep_a_bf16_kv_cache_by_default(string engine)
    {
        var profile = EngineProfiles.For(EngineProfiles.Parse(engine));
        Assert.Equal(DType.Bf16, profile.DefaultKvDtype(ModelCatalog.Get("RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16"), DType.Int4));
        Assert.Equal(DType.Bf16, profile.DefaultKvDtype(ModelCatalog.Get("RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w8a8"), DType.Int8));
    }
}
