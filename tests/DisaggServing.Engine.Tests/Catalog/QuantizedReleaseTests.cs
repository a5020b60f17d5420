using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Catalog;

public class QuantizedReleaseTests
{
    [Theory]
    [InlineData("RedHatAI/Qwen3-30B-A3B-FP8-dynamic", "Qwen/Qwen3-30B-A3B", DType.Fp8)]
    [InlineData("RedHatAI/Qwen3-8B-quantized.w4a16", "Qwen/Qwen3-8B", DType.Int4)]
    [InlineData("RedHatAI/Qwen3-32B-quantized.w8a8", "Qwen/Qwen3-32B", DType.Int8)]
    [InlineData("Qwen/Qwen2.5-3B-Instruct-AWQ", "Qwen/Qwen2.5-3B-Instruct", DType.Int4)]
    [InlineData("Qwen/Qwen2.5-1.5B-Instruct-GPTQ-Int4", "Qwen/Qwen2.5-1.5B-Instruct", DType.Int4)]
    [InlineData("nvidia/Qwen3-32B-NVFP4", "Qwen/Qwen3-32B", DType.Fp4)]
    [InlineData("RedHatAI/DeepSeek-R1-0528-quantized.w4a16", "deepseek-ai/DeepSeek-V3", DType.Int4)]
    [InlineData("Qwen3-14B-FP8-dynamic", "Qwen/Qwen3-14B", DType.Fp8)]
    public void A_quantized_re_release_the_catalog_does_not_list_takes_its_models_geometry_in_the_suffixs_format(string id, string of, DType weights)
    {
        Assert.DoesNotContain(id, ModelCatalog.Aliases.Keys);
        var model = ModelCatalog.Get(id);
        var canonical = ModelCatalog.Get(of);
        Assert.Equal(id, model.Id);
        Assert.Equal(canonical.AliasOf ?? canonical.Id, model.AliasOf);
        Assert.Equal(weights, model.CheckpointDtype);
        Assert.Equal((canonical.TotalParams, canonical.Moe, canonical.Mla), (model.TotalParams, model.Moe, model.Mla));
    }

    [Theory]
    [InlineData("RedHatAI/Qwen2.5-VL-7B-Instruct-FP8-dynamic", 32, DType.Fp8)]
    [InlineData("Qwen/Qwen2.5-VL-72B-Instruct-AWQ", 32, DType.Int4)]
    [InlineData("Qwen/Qwen3-VL-8B-Instruct-AWQ", 27, DType.Int4)]
    public void A_re_release_of_a_vision_language_model_keeps_its_vision_tower(string id, int visionLayers, DType weights)
    {
        var model = ModelCatalog.Get(id);
        Assert.Equal(weights, model.CheckpointDtype);
        Assert.Equal(visionLayers, model.Vision!.Layers);
        // The text stack it quantizes carries none.
        Assert.Null(ModelCatalog.Get(model.AliasOf!).Vision);
    }

    [Fact]
    public void A_re_release_keeps_the_context_of_the_release_it_quantizes_and_the_scales_of_its_quantizer()
    {
        var instruct2507 = ModelCatalog.Get("RedHatAI/Qwen3-235B-A22B-Instruct-2507-FP8-dynamic");
        Assert.Equal(262144, instruct2507.MaxContext);
        // llm-compressor's FP8_DYNAMIC scales activations per token at run time; its plain -FP8 does not.
        Assert.True(instruct2507.PerTokenActivationScales);
        Assert.False(instruct2507.BlockScaledFp8);
        Assert.False(ModelCatalog.Get("RedHatAI/Qwen3-4B-FP8").PerTokenActivationScales);
        // ModelOpt's exports calibrate an FP8 KV cache; the others declare none.
        Assert.Equal(DType.Fp8, ModelCatalog.Get("nvidia/Qwen3-14B-NVFP4").CheckpointKvDtype);
        Assert.Null(instruct2507.CheckpointKvDtype);
    }

    [Theory]
    [InlineData("acme/NotAModel-FP8")]
    [InlineData("RedHatAI/FP8-dynamic")]
    [InlineData("RedHatAI/Qwen3-8B-FP8-block")]
    [InlineData("RedHatAI/Qwen3-8B-quantized.w8a16")]
    public void An_id_whose_name_is_no_catalogued_release_stays_unknown(string id)
    {
        var error = Assert.Throws<InputException>(() => ModelCatalog.Get(id));
        Assert.Contains("Unknown model", error.Message);
    }

    [Fact]
    public void A_quantization_of_a_quantization_is_not_read_as_a_release()
    {
        // Qwen/Qwen3-8B-FP8 is itself a quantized alias: "-FP8-AWQ" names no release of Qwen3-8B.
        Assert.Throws<InputException>(() => ModelCatalog.Get("someone/Qwen3-8B-FP8-AWQ"));
    }
}
