using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Tests.Catalog;

namespace DisaggServing.Engine.Tests.Performance;

public class PerTokenScaledGemmTests
{
    private static readonly ModelSpec Dynamic = ModelCatalog.Get("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic");
    private static readonly ModelSpec Static = ModelCatalog.Get("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8");

    private static StepCost Cost(ModelSpec model, EngineProfile engine, int sequences)
    {
        var spec = new EngineSpec { Model = model, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8, Engine = engine };
        var batch = new BatchShape();
        for (var i = 0; i < sequences; i++) batch.Add(1, 1024, true);
        return new StepTimeModel(spec, EngineOverheads.None).Cost(batch);
    }

    [Fact]
    public void Vllm_streams_and_multiplies_per_token_scaled_layers_at_its_fitted_rate_and_the_bf16_lm_head_at_the_full_one()
    {
        var rate = EngineProfiles.Vllm.PerTokenScaledGemmRate;
        Assert.InRange(rate, 0.5, 0.99);
        var dynamic = Cost(Dynamic, EngineProfiles.Vllm, 256);
        var plain = Cost(Static, EngineProfiles.Vllm, 256);

        // Weights: the FP8 layers slower by the rate, the BF16 LM head (2 bytes × vocab × hidden) as it was.
        var m = ModelCatalog.Llama31_8B;
        var layers = m.TotalParams - m.EmbeddingParams;
        Assert.Equal((layers / rate + 2 * m.LmHeadParams) / (layers + 2 * m.LmHeadParams), dynamic.MemorySeconds / plain.MemorySeconds, 6);
        Assert.True(dynamic.ComputeSeconds > plain.ComputeSeconds);
        Assert.Equal(plain.KvSeconds, dynamic.KvSeconds);
    }

    [Fact]
    public void Engines_without_a_measured_rate_cost_static_and_dynamic_scales_alike()
    {
        Assert.Equal(1, EngineProfiles.Trtllm.PerTokenScaledGemmRate);
        Assert.Equal(Cost(Static, EngineProfiles.Trtllm, 64).TotalSeconds, Cost(Dynamic, EngineProfiles.Trtllm, 64).TotalSeconds);
    }

    [Theory]
    [InlineData("{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"channel\"}, \"input_activations\": {\"num_bits\": 8, \"type\": \"float\", \"dynamic\": true, \"strategy\": \"token\"}}}}", true)]
    [InlineData("{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"tensor\"}, \"input_activations\": {\"num_bits\": 8, \"type\": \"float\", \"dynamic\": false, \"strategy\": \"tensor\"}}}}", false)]
    [InlineData("{\"quant_method\": \"fbgemm_fp8\", \"activation_scale_ub\": 1200.0}", true)]
    [InlineData("{\"quant_method\": \"fp8\", \"activation_scheme\": \"dynamic\", \"weight_block_size\": [128, 128]}", false)]
    public void A_config_json_says_whether_activations_are_scaled_per_token(string quantization, bool perToken)
    {
        var config = HfModelConfigTests.Llama31_8B.Replace("\"torch_dtype\": \"bfloat16\"", "\"quantization_config\": " + quantization, StringComparison.Ordinal);
        var model = HfModelConfig.Parse(config, "local/fp8");
        Assert.Equal(DType.Fp8, model.CheckpointDtype);
        Assert.Equal(perToken, model.PerTokenActivationScales);
    }
}
