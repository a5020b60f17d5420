using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Catalog;

public class CatalogTests
{
    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct")]
    [InlineData("meta-llama/Llama-3.1-405B-Instruct")]
    [InlineData("Qwen/Qwen3-32B")]
    [InlineData("Qwen/Qwen3-235B-A22B")]
    [InlineData("deepseek-ai/DeepSeek-V3")]
    [InlineData("zai-org/GLM-5-FP8")]
    public void Geometry_reproduces_the_published_parameter_counts(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        Assert.InRange(model.ActiveParams / model.PublishedActiveParams, 0.95, 1.06);
    }

    [Fact]
    public void Kv_bytes_per_token_match_the_reference_figures()
    {
        Assert.Equal(327_680, ModelCatalog.Llama33_70B.KvBytesPerToken(DType.Bf16));
        Assert.Equal(70_272, ModelCatalog.DeepSeekV3.KvBytesPerToken(DType.Bf16));
        Assert.Equal(131_072, ModelCatalog.Llama31_8B.KvBytesPerToken(DType.Bf16));
        Assert.Equal(163_840, ModelCatalog.Llama33_70B.KvBytesPerToken(DType.Fp8));
    }

    [Fact]
    public void Unknown_ids_list_the_known_ones()
    {
        var model = Assert.Throws<InputException>(() => ModelCatalog.Get("meta-llama/Llama-2-7b"));
        Assert.Contains("meta-llama/Llama-2-7b", model.Message);
        Assert.Contains("zai-org/GLM-5-FP8", model.Message);
        var gpu = Assert.Throws<InputException>(() => GpuCatalog.Get("h100"));
        Assert.Contains("h100-sxm", gpu.Message);
        var instance = Assert.Throws<InputException>(() => InstanceCatalog.Get("p3.2xlarge"));
        Assert.Contains("p5.48xlarge", instance.Message);
    }

    [Fact]
    public void Lookups_ignore_case()
    {
        Assert.Same(ModelCatalog.Qwen3_32B, ModelCatalog.Get("qwen/qwen3-32b"));
        Assert.Same(GpuCatalog.H200Sxm, GpuCatalog.Get("H200-SXM"));
    }

    [Fact]
    public void Instance_types_carry_their_gpus_and_efa()
    {
        var p5 = InstanceCatalog.Get("p5.48xlarge");
        Assert.Equal(8, p5.GpuCount);
        Assert.Same(GpuCatalog.H100Sxm, p5.Gpu);
        Assert.Equal(50e9, p5.EfaBytesPerSecondPerGpu);
        Assert.Same(GpuCatalog.H200Sxm, InstanceCatalog.Get("p5en.48xlarge").Gpu);
        Assert.Equal(16, InstanceCatalog.Get("p5en.48xlarge").EfaInterfaces);
        Assert.Same(GpuCatalog.B200, InstanceCatalog.Get("p6-b200.48xlarge").Gpu);
        Assert.Equal("p4d", InstanceCatalog.Get("p4d.24xlarge").Family);
    }

    [Fact]
    public void Dtypes_parse_and_reject_unknown_names()
    {
        Assert.Equal(DType.Fp8, DTypes.Parse("FP8"));
        Assert.Equal(DType.Bf16, DTypes.Parse("bf16"));
        var error = Assert.Throws<InputException>(() => DTypes.Parse("int4", "--dtype"));
        Assert.Contains("--dtype", error.Message);
    }

    [Fact]
    public void A100_has_no_fp8_tensor_cores()
    {
        Assert.Equal(GpuCatalog.A100_80G.Bf16Flops, GpuCatalog.A100_80G.PeakFlops(DType.Fp8));
        Assert.Equal(1979e12, GpuCatalog.H100Sxm.PeakFlops(DType.Fp8));
    }
}
