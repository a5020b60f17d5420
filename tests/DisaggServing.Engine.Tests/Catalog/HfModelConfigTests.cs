using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Catalog;

public class HfModelConfigTests
{
    // Each checkpoint's config.json as Hugging Face serves it (fields the geometry does not read trimmed).
    internal const string Llama31_8B = """
        {"architectures": ["LlamaForCausalLM"], "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
         "max_position_embeddings": 131072, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32,
         "num_key_value_heads": 8, "rope_scaling": {"factor": 8.0, "rope_type": "llama3"}, "rope_theta": 500000.0,
         "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
        """;

    private const string DeepSeekV3 = """
        {"architectures": ["DeepseekV3ForCausalLM"], "first_k_dense_replace": 3, "hidden_size": 7168, "intermediate_size": 18432,
         "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v3", "moe_intermediate_size": 2048,
         "moe_layer_freq": 1, "n_group": 8, "n_routed_experts": 256, "n_shared_experts": 1, "num_attention_heads": 128,
         "num_experts_per_tok": 8, "num_hidden_layers": 61, "num_key_value_heads": 128, "num_nextn_predict_layers": 1,
         "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
         "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128]},
         "scoring_func": "sigmoid", "tie_word_embeddings": false, "topk_group": 4, "topk_method": "noaux_tc", "torch_dtype": "bfloat16",
         "v_head_dim": 128, "vocab_size": 129280}
        """;

    private const string Qwen3_30B_A3B = """
        {"architectures": ["Qwen3MoeForCausalLM"], "decoder_sparse_step": 1, "head_dim": 128, "hidden_size": 2048,
         "intermediate_size": 6144, "max_position_embeddings": 40960, "max_window_layers": 48, "mlp_only_layers": [],
         "model_type": "qwen3_moe", "moe_intermediate_size": 768, "num_attention_heads": 32, "num_experts": 128,
         "num_experts_per_tok": 8, "num_hidden_layers": 48, "num_key_value_heads": 4, "sliding_window": null,
         "tie_word_embeddings": false, "use_sliding_window": false, "vocab_size": 151936}
        """;

    private static readonly string GptOss120B = $$"""
        {"architectures": ["GptOssForCausalLM"], "experts_per_token": 4, "head_dim": 64, "hidden_size": 2880,
         "intermediate_size": 2880, "layer_types": [{{string.Join(", ", Enumerable.Range(0, 36).Select(i => i % 2 == 0 ? "\"sliding_attention\"" : "\"full_attention\""))}}],
         "max_position_embeddings": 131072, "model_type": "gpt_oss", "num_attention_heads": 64, "num_experts_per_tok": 4,
         "num_hidden_layers": 36, "num_key_value_heads": 8, "num_local_experts": 128,
         "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"},
         "sliding_window": 128, "tie_word_embeddings": false, "vocab_size": 201088}
        """;

    private const string DeepSeekV2Lite = """
        {"architectures": ["DeepseekV2ForCausalLM"], "first_k_dense_replace": 1, "hidden_size": 2048, "intermediate_size": 10944,
         "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v2", "moe_intermediate_size": 1408,
         "moe_layer_freq": 1, "n_routed_experts": 64, "n_shared_experts": 2, "num_attention_heads": 16, "num_experts_per_tok": 6,
         "num_hidden_layers": 27, "num_key_value_heads": 16, "q_lora_rank": null, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
         "tie_word_embeddings": false, "torch_dtype": "bfloat16", "v_head_dim": 128, "vocab_size": 102400}
        """;

    // GLM-4.7-Flash (glm4_moe_lite): DeepSeek-V2-style latent attention with wider heads (nope 192, v 256) and GLM's router.
    private const string Glm47Flash = """
        {"architectures": ["Glm4MoeLiteForCausalLM"], "first_k_dense_replace": 1, "hidden_size": 2048, "intermediate_size": 10240,
         "kv_lora_rank": 512, "max_position_embeddings": 202752, "model_type": "glm4_moe_lite", "moe_intermediate_size": 1536,
         "n_group": 1, "n_routed_experts": 64, "n_shared_experts": 1, "norm_topk_prob": true, "num_attention_heads": 20,
         "num_experts_per_tok": 4, "num_hidden_layers": 47, "num_key_value_heads": 20, "num_nextn_predict_layers": 1,
         "q_lora_rank": 768, "qk_nope_head_dim": 192, "qk_rope_head_dim": 64, "routed_scaling_factor": 1.8,
         "tie_word_embeddings": false, "topk_group": 1, "topk_method": "noaux_tc", "v_head_dim": 256, "vocab_size": 154880}
        """;

    // ERNIE 4.5 (ernie4_5_moe) names its experts, shared experts and leading dense layers its own way.
    private const string Ernie45_21B = """
        {"architectures": ["Ernie4_5_MoeForCausalLM"], "hidden_act": "silu", "hidden_size": 2560, "intermediate_size": 12288,
         "max_position_embeddings": 131072, "model_type": "ernie4_5_moe", "moe_intermediate_size": 1536, "moe_k": 6,
         "moe_layer_end_index": 27, "moe_layer_interval": 1, "moe_layer_start_index": 1, "moe_num_experts": 64,
         "moe_num_shared_experts": 2, "num_attention_heads": 20, "num_hidden_layers": 28, "num_key_value_heads": 4,
         "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "tie_word_embeddings": true, "use_bias": false, "vocab_size": 103424}
        """;

    private const string MiniMaxM2 = """
        {"architectures": ["MiniMaxM2ForCausalLM"], "head_dim": 128, "hidden_size": 3072, "intermediate_size": 1536,
         "max_position_embeddings": 196608, "model_type": "minimax_m2", "num_attention_heads": 48, "num_experts_per_tok": 8,
         "num_hidden_layers": 62, "num_key_value_heads": 8, "num_local_experts": 256, "num_mtp_modules": 3, "qk_norm_type": "per_layer",
         "quantization_config": {"activation_scheme": "dynamic", "fmt": "float8_e4m3fn", "quant_method": "fp8", "weight_block_size": [128, 128]},
         "scoring_func": "sigmoid", "tie_word_embeddings": false, "use_qk_norm": true, "use_routing_bias": true, "vocab_size": 200064}
        """;

    // Gemma 3 nests the language model under text_config beside its vision tower; five sliding-window layers to one global.
    private const string Gemma3_27B = """
        {"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
         "text_config": {"head_dim": 128, "hidden_size": 5376, "intermediate_size": 21504, "max_position_embeddings": 131072,
           "model_type": "gemma3_text", "num_attention_heads": 32, "num_hidden_layers": 62, "num_key_value_heads": 16,
           "sliding_window": 1024, "sliding_window_pattern": 6, "vocab_size": 262208},
         "vision_config": {"hidden_size": 1152, "model_type": "siglip_vision_model", "num_hidden_layers": 27}}
        """;

    // Mistral 7B v0.1 windows every layer at 4,096 tokens; Qwen2.5 carries a sliding_window that use_sliding_window leaves off.
    private const string Mistral7B_v01 = """
        {"architectures": ["MistralForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 32768,
         "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
         "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32000}
        """;

    private const string Qwen25_7B = """
        {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 3584, "intermediate_size": 18944, "max_position_embeddings": 32768,
         "max_window_layers": 28, "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4,
         "sliding_window": 131072, "tie_word_embeddings": false, "use_sliding_window": false, "vocab_size": 152064}
        """;

    // DeepSeek-V4-Flash: two window-only layers, then compressed-sparse and heavily compressed ones in turn (the last
    // entry is the MTP layer's); MXFP4 experts (expert_dtype fp4) beside block-FP8 layers.
    private static readonly string DeepSeekV4Flash = $$$"""
        {"architectures": ["DeepseekV4ForCausalLM"], "model_type": "deepseek_v4", "hidden_size": 4096, "num_hidden_layers": 43,
         "num_attention_heads": 64, "num_key_value_heads": 1, "head_dim": 512, "qk_rope_head_dim": 64, "q_lora_rank": 1024,
         "o_lora_rank": 1024, "o_groups": 8, "sliding_window": 128,
         "compress_ratios": [0, 0, {{{string.Join(", ", Enumerable.Range(0, 41).Select(i => i % 2 == 0 ? "4" : "128"))}}}, 0],
         "index_n_heads": 64, "index_head_dim": 128, "index_topk": 512, "hc_mult": 4, "hc_sinkhorn_iters": 20,
         "n_routed_experts": 256, "n_shared_experts": 1, "num_experts_per_tok": 6, "moe_intermediate_size": 2048,
         "num_hash_layers": 3, "scoring_func": "sqrtsoftplus", "topk_method": "noaux_tc", "vocab_size": 129280,
         "max_position_embeddings": 1048576, "tie_word_embeddings": false, "num_nextn_predict_layers": 1, "expert_dtype": "fp4",
         "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [128, 128], "scale_fmt": "ue8m0"}}
        """;

    public static TheoryData<string, string> CataloguedConfigs() => new()
    {
        { DeepSeekV4Flash, "deepseek-ai/DeepSeek-V4-Flash" },
        { Mistral7B_v01, "mistralai/Mistral-7B-Instruct-v0.1" },
        { Qwen25_7B, "Qwen/Qwen2.5-7B-Instruct" },
        { DeepSeekV2Lite, "deepseek-ai/DeepSeek-V2-Lite" },
        { Glm47Flash, "zai-org/GLM-4.7-Flash" },
        { Ernie45_21B, "baidu/ERNIE-4.5-21B-A3B-PT" },
        { MiniMaxM2, "MiniMaxAI/MiniMax-M2" },
        { Gemma3_27B, "google/gemma-3-27b-it" },
        { Llama31_8B, "meta-llama/Llama-3.1-8B-Instruct" },
        { DeepSeekV3, "deepseek-ai/DeepSeek-V3" },
        { Qwen3_30B_A3B, "Qwen/Qwen3-30B-A3B" },
        { GptOss120B, "openai/gpt-oss-120b" },
    };

    [Theory]
    [MemberData(nameof(CataloguedConfigs))]
    public void A_config_json_gives_the_geometry_the_catalogue_gives_its_model(string config, string catalogued)
    {
        var expected = ModelCatalog.Get(catalogued);
        var loaded = HfModelConfig.Parse(config, "local/model");

        Assert.Equal("local/model", loaded.Id);
        // Everything but the name and the model card's counts, which a config.json does not state.
        Assert.Equal(expected, loaded with { Id = expected.Id, PublishedParams = expected.PublishedParams, PublishedActiveParams = expected.PublishedActiveParams });
        Assert.Equal(expected.TotalParams, loaded.PublishedParams);
        Assert.Equal(expected.ActiveParams, loaded.PublishedActiveParams);
    }

    // GLM-4.5-Air's config.json names no router method: the glm4_moe model code always adds the correction bias.
    private const string Glm45Air = """
        {"architectures": ["Glm4MoeForCausalLM"], "first_k_dense_replace": 1, "head_dim": 128, "hidden_size": 4096,
         "intermediate_size": 10944, "max_position_embeddings": 131072, "model_type": "glm4_moe", "moe_intermediate_size": 1408,
         "n_group": 1, "n_routed_experts": 128, "n_shared_experts": 1, "norm_topk_prob": true, "num_attention_heads": 96,
         "num_experts_per_tok": 8, "num_hidden_layers": 46, "num_key_value_heads": 8, "num_nextn_predict_layers": 1,
         "partial_rotary_factor": 0.5, "routed_scaling_factor": 1.0, "tie_word_embeddings": false, "topk_group": 1,
         "torch_dtype": "bfloat16", "vocab_size": 151552}
        """;

    [Fact]
    public void A_biased_sigmoid_router_reads_from_its_method_its_routing_bias_or_glms_model_type_with_its_groups()
    {
        var deepSeek = HfModelConfig.Parse(DeepSeekV3, "local/v3").Moe!;
        Assert.True(deepSeek.BiasedSigmoidRouting);
        Assert.Equal(8, deepSeek.ExpertGroups);
        Assert.True(HfModelConfig.Parse(MiniMaxM2, "local/m2").Moe!.BiasedSigmoidRouting);
        // MiniMax-M2's gate computes FP32 logits; DeepSeek's does not.
        Assert.True(HfModelConfig.Parse(MiniMaxM2, "local/m2").Moe!.Fp32RouterLogits);
        Assert.False(deepSeek.Fp32RouterLogits);
        var air = HfModelConfig.Parse(Glm45Air, "local/air").Moe!;
        Assert.Equal((true, 1), (air.BiasedSigmoidRouting, air.ExpertGroups));
        Assert.Equal(ModelCatalog.Glm45Air.Moe, air);
        // Softmax routers: Qwen3's, DeepSeek-V2's group-limited greedy one.
        Assert.False(HfModelConfig.Parse(Qwen3_30B_A3B, "local/q").Moe!.BiasedSigmoidRouting);
        Assert.False(HfModelConfig.Parse(DeepSeekV2Lite, "local/v2").Moe!.BiasedSigmoidRouting);
    }

    [Fact]
    public void A_checkpoint_directory_is_read_with_its_modelopt_quantization()
    {
        var dir = Directory.CreateTempSubdirectory("hf-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), Llama31_8B);
            File.WriteAllText(Path.Combine(dir, "hf_quant_config.json"), """{"producer": {"name": "modelopt"}, "quantization": {"quant_algo": "FP8", "kv_cache_quant_algo": "FP8"}}""");

            var model = ModelCatalog.Get(dir);

            Assert.Equal(dir, model.Id);
            Assert.Equal(DType.Fp8, model.CheckpointDtype);
            Assert.Equal(DType.Fp8, model.CheckpointKvDtype);
            Assert.Equal(ModelCatalog.Llama31_8B.Layers, model.Layers);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 128, \"zero_point\": true}", DType.Int4)]
    [InlineData("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128, \"desc_act\": false}", DType.Int4)]
    [InlineData("{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 4, \"type\": \"int\", \"strategy\": \"group\", \"group_size\": 128}, \"input_activations\": null, \"targets\": [\"Linear\"]}}}", DType.Int4)]
    [InlineData("{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 8, \"type\": \"int\", \"strategy\": \"channel\"}, \"input_activations\": {\"num_bits\": 8, \"type\": \"int\", \"dynamic\": true, \"strategy\": \"token\"}, \"targets\": [\"Linear\"]}}}", DType.Int8)]
    public void Integer_quantizations_read_as_int4_w4a16_or_int8_w8a8(string quantization, DType expected)
    {
        var config = Llama31_8B.Replace("\"torch_dtype\": \"bfloat16\"", "\"quantization_config\": " + quantization, StringComparison.Ordinal);
        var model = HfModelConfig.Parse(config, "local/int-model", where: "--model x/config.json");
        Assert.Equal(expected, model.CheckpointDtype);
        Assert.Null(model.CheckpointKvDtype);
    }

    [Fact]
    public void An_moe_whose_int4_quantization_ignores_attention_keeps_everything_but_its_routed_experts_in_bf16()
    {
        // Kimi K2-Thinking's quantization_config: INT4 W4A16 in groups of 32, attention, shared experts and dense MLPs ignored.
        const string kimi = """
            "quantization_config": {"quant_method": "compressed-tensors", "format": "pack-quantized",
             "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "int", "strategy": "group", "group_size": 32, "symmetric": true},
              "input_activations": null, "targets": ["Linear"]}},
             "ignore": ["lm_head", "re:.*self_attn.*", "re:.*shared_experts.*", "re:.*mlp\\.(gate|up|gate_up|down)_proj.*"]}
            """;
        var start = DeepSeekV3.IndexOf("\"quantization_config\"", StringComparison.Ordinal);
        var end = DeepSeekV3.IndexOf("\"tie_word_embeddings\"", StringComparison.Ordinal);
        var config = DeepSeekV3[..start] + kimi + ",\n " + DeepSeekV3[end..];
        var model = HfModelConfig.Parse(config, "local/kimi-like", where: "--model x/config.json");
        Assert.Equal(DType.Int4, model.CheckpointDtype);
        Assert.True(model.QuantizedExpertsOnly);
        Assert.Equal(DType.Bf16, model.DenseWeights(DType.Int4));
        // Costed in another format, every layer takes that one (the CLI refuses it for a quantized checkpoint).
        Assert.Equal(DType.Fp8, model.DenseWeights(DType.Fp8));
        // Red Hat's MoE releases ignore only the router gates: every linear layer is INT4.
        var redHat = HfModelConfig.Parse(config.Replace("\"re:.*self_attn.*\", ", "", StringComparison.Ordinal).Replace("\"re:.*shared_experts.*\", ", "", StringComparison.Ordinal)
            .Replace("\"re:.*mlp\\\\.(gate|up|gate_up|down)_proj.*\"", "\"re:.*mlp.gate$\"", StringComparison.Ordinal), "local/w4a16", where: "--model x/config.json");
        Assert.False(redHat.QuantizedExpertsOnly);
        Assert.Equal(DType.Int4, redHat.DenseWeights(DType.Int4));
    }

    [Fact]
    public void A_catalogued_id_is_the_catalogue_s_model_even_where_a_directory_of_that_name_exists()
    {
        Assert.Same(ModelCatalog.Llama31_8B, ModelCatalog.Get("meta-llama/Llama-3.1-8B-Instruct"));
        Assert.False(HfModelConfig.IsPath("meta-llama/Llama-3.1-8B-Instruct"));
    }

    [Theory]
    [InlineData("\"hidden_size\": 4096, ", "", "'hidden_size' is missing")]
    [InlineData("\"num_attention_heads\": 32", "\"num_attention_heads\": 0", "'num_attention_heads' is 0")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"nemotron_h\", \"hybrid_override_pattern\": \"M-M-M*\"", "the layer pattern names 6 layers for 32")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"jamba\", \"layers_block_type\": [\"mamba\", \"attention\"]", "'layers_block_type' (jamba)")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"qwen3_next\", \"linear_num_value_heads\": 32", "'layer_types' or 'full_attention_interval' is missing")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"falcon\"", "model_type 'falcon'")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"ernie4_5_moe_vl\", \"moe_num_experts\": [64, 64], \"moe_k\": 6", "'moe_num_experts' lists experts per modality")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"quantization_config\": {\"quant_method\": \"awq\", \"bits\": 3}", "quant_method 'awq'")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"quantization_config\": {\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 8, \"type\": \"int\"}, \"input_activations\": null}}}", "8 bits (int) with 16-bit activations")]
    public void A_config_the_model_cannot_represent_is_refused_naming_the_field(string replace, string with, string message)
    {
        var config = Llama31_8B.Replace(replace, with, StringComparison.Ordinal);
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(config, "local/model", where: "--model x/config.json"));
        Assert.Contains("--model x/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // Qwen/Qwen3-Next-80B-A3B-Instruct's config.json (the fields the geometry reads).
    private const string Qwen3Next = """
        {"architectures": ["Qwen3NextForCausalLM"], "model_type": "qwen3_next", "hidden_size": 2048, "num_hidden_layers": 48,
         "num_attention_heads": 16, "num_key_value_heads": 2, "head_dim": 256, "intermediate_size": 5120, "vocab_size": 151936,
         "max_position_embeddings": 262144, "tie_word_embeddings": false, "full_attention_interval": 4,
         "linear_num_key_heads": 16, "linear_num_value_heads": 32, "linear_key_head_dim": 128, "linear_value_head_dim": 128,
         "linear_conv_kernel_dim": 4, "num_experts": 512, "num_experts_per_tok": 10, "moe_intermediate_size": 512,
         "shared_expert_intermediate_size": 512, "decoder_sparse_step": 1, "mlp_only_layers": [], "torch_dtype": "bfloat16"}
        """;

    [Fact]
    public void A_gated_deltanet_hybrid_config_reads_as_the_catalogued_qwen3_next_with_its_linear_layers_and_gated_attention()
    {
        var read = HfModelConfig.Parse(Qwen3Next, "local/qwen3-next");
        var catalogued = ModelCatalog.Qwen3Next80B;
        Assert.Equal(catalogued.Linear, read.Linear);
        Assert.True(read.AttentionOutputGate);
        // Its RMSNorms scale by one plus the stored weight, as Gemma's do.
        Assert.True(read.OffsetNorm && catalogued.OffsetNorm);
        Assert.Equal(12, read.AttentionLayers);
        Assert.Equal(catalogued.TotalParams, read.TotalParams);
        Assert.Equal(catalogued.ActiveParams, read.ActiveParams);
        // The same layers named one by one (Qwen3.5's layer_types), with an FP32 recurrent state.
        var listed = Qwen3Next.Replace("\"full_attention_interval\": 4", "\"layer_types\": [" + string.Join(", ", Enumerable.Repeat("\"linear_attention\", \"linear_attention\", \"linear_attention\", \"full_attention\"", 12)) + "], \"mamba_ssm_dtype\": \"float32\"", StringComparison.Ordinal);
        var fromTypes = HfModelConfig.Parse(listed, "local/qwen3-next-listed");
        Assert.Equal(catalogued.Linear! with { StateBytes = 4 }, fromTypes.Linear);
    }

    // Qwen/Qwen3.5-35B-A3B's config.json (the fields the geometry reads): the language model nested under text_config
    // beside a vision tower, every layer named in layer_types, an FP32 recurrent state.
    private static readonly string Qwen35 = """
        {"architectures": ["Qwen3_5MoeForConditionalGeneration"], "model_type": "qwen3_5_moe",
         "vision_config": {"model_type": "qwen3_5_moe_vision", "depth": 27, "hidden_size": 1152},
         "text_config": {"model_type": "qwen3_5_moe_text", "hidden_size": 2048, "num_hidden_layers": 40,
          "num_attention_heads": 16, "num_key_value_heads": 2, "head_dim": 256, "vocab_size": 248320,
          "max_position_embeddings": 262144, "tie_word_embeddings": false, "attn_output_gate": true, "full_attention_interval": 4,
          "layer_types": [LAYERS], "linear_num_key_heads": 16, "linear_num_value_heads": 32, "linear_key_head_dim": 128,
          "linear_value_head_dim": 128, "linear_conv_kernel_dim": 4, "mamba_ssm_dtype": "float32", "num_experts": 256,
          "num_experts_per_tok": 8, "moe_intermediate_size": 512, "shared_expert_intermediate_size": 512, "mtp_num_hidden_layers": 1}}
        """.Replace("LAYERS", string.Join(", ", Enumerable.Repeat("\"linear_attention\", \"linear_attention\", \"linear_attention\", \"full_attention\"", 10)), StringComparison.Ordinal);

    [Fact]
    public void A_qwen3_5_config_reads_its_nested_language_model_as_the_catalogued_one_with_an_fp32_state()
    {
        var read = HfModelConfig.Parse(Qwen35, "local/qwen3.5-35b");
        var catalogued = ModelCatalog.Get("Qwen/Qwen3.6-35B-A3B");
        Assert.Equal(catalogued.Linear, read.Linear);
        Assert.Equal(4, read.Linear!.StateBytes);
        // Its vision tower (depth 27, width 1,152) is read for what SGLang keeps free for it; a text-only config has none.
        Assert.Equal((27, 1152), (read.Vision!.Layers, read.Vision.Hidden));
        Assert.Equal(catalogued.Vision, read.Vision);
        Assert.Null(HfModelConfig.Parse(Qwen25_7B, "local/qwen2.5").Vision);
        Assert.True(read.AttentionOutputGate);
        Assert.Equal(10, read.AttentionLayers);
        Assert.Equal(catalogued.TotalParams, read.TotalParams);
        Assert.Equal(catalogued.ActiveParams, read.ActiveParams);
    }

    // google/gemma-4-26B-A4B-it's config.json (the fields the geometry reads): five sliding layers to one full one.
    private static readonly string Gemma4 = """
        {"architectures": ["Gemma4ForConditionalGeneration"], "model_type": "gemma4", "tie_word_embeddings": true,
         "text_config": {"model_type": "gemma4_text", "hidden_size": 2816, "num_hidden_layers": 30, "num_attention_heads": 16,
          "num_key_value_heads": 8, "head_dim": 256, "global_head_dim": 512, "num_global_key_value_heads": 2,
          "attention_k_eq_v": true, "intermediate_size": 2112, "enable_moe_block": true, "num_experts": 128, "top_k_experts": 8,
          "moe_intermediate_size": 704, "sliding_window": 1024, "layer_types": [LAYERS], "vocab_size": 262144,
          "max_position_embeddings": 262144, "hidden_size_per_layer_input": 0, "num_kv_shared_layers": 0,
          "hidden_activation": "gelu_pytorch_tanh"}}
        """.Replace("LAYERS", string.Join(", ", Enumerable.Repeat(string.Join(", ", Enumerable.Repeat("\"sliding_attention\"", 5)) + ", \"full_attention\"", 5)), StringComparison.Ordinal);

    [Fact]
    public void A_gemma_4_config_reads_its_full_layers_wider_heads_and_the_dense_mlp_beside_its_experts_as_the_catalogued_model()
    {
        var read = HfModelConfig.Parse(Gemma4, "local/gemma-4-26b");
        var catalogued = ModelCatalog.Get("google/gemma-4-26B-A4B-it");
        Assert.Equal(catalogued.GlobalAttention, read.GlobalAttention);
        Assert.Equal(catalogued.Window, read.Window);
        Assert.Equal(catalogued.Moe, read.Moe);
        Assert.Equal(catalogued.TotalParams, read.TotalParams);
        Assert.Equal(catalogued.KvBytesPerToken(DType.Bf16), read.KvBytesPerToken(DType.Bf16));
        // The edge models' per-layer input embeddings are refused, naming the field.
        var edge = Gemma4.Replace("\"hidden_size_per_layer_input\": 0", "\"hidden_size_per_layer_input\": 256", StringComparison.Ordinal);
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(edge, "local/gemma-4-e4b"));
        Assert.Contains("hidden_size_per_layer_input", error.Message, StringComparison.Ordinal);
    }

    // nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16's config.json (the fields the geometry reads).
    private const string Nemotron3Nano = """
        {"architectures": ["NemotronHForCausalLM"], "model_type": "nemotron_h", "hidden_size": 2688, "num_hidden_layers": 52,
         "hybrid_override_pattern": "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME", "num_attention_heads": 32,
         "num_key_value_heads": 2, "head_dim": 128, "intermediate_size": 1856, "mlp_hidden_act": "relu2", "vocab_size": 131072,
         "max_position_embeddings": 262144, "tie_word_embeddings": false, "mamba_num_heads": 64, "mamba_head_dim": 64,
         "n_groups": 8, "ssm_state_size": 128, "conv_kernel": 4, "chunk_size": 128, "expand": 2, "mamba_ssm_cache_dtype": "float32",
         "n_routed_experts": 128, "num_experts_per_tok": 6, "moe_intermediate_size": 1856, "n_shared_experts": 1,
         "moe_shared_expert_intermediate_size": 3712, "torch_dtype": "bfloat16"}
        """;

    [Fact]
    public void A_nemotron_h_config_reads_as_the_catalogued_nemotron_3_nano_with_its_mamba2_and_expert_layers()
    {
        var read = HfModelConfig.Parse(Nemotron3Nano, "local/nemotron-3-nano");
        var catalogued = ModelCatalog.Nemotron3Nano30B;
        Assert.Equal(catalogued.Linear, read.Linear);
        Assert.Equal(catalogued.Nas, read.Nas);
        Assert.Equal(catalogued.Moe, read.Moe);
        Assert.False(read.GatedMlp);
        Assert.Equal(catalogued.TotalParams, read.TotalParams);
        Assert.Equal(catalogued.ActiveParams, read.ActiveParams);
        // The same kinds named one by one (layers_block_type), with the SSM state in BF16 where the config says so.
        var kinds = string.Join(", ", "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME".Select(c => c switch { 'M' => "\"mamba\"", 'E' => "\"moe\"", _ => "\"attention\"" }));
        var listed = Nemotron3Nano
            .Replace("\"hybrid_override_pattern\": \"MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME\"", $"\"layers_block_type\": [{kinds}]", StringComparison.Ordinal)
            .Replace("\"float32\"", "\"bfloat16\"", StringComparison.Ordinal);
        Assert.Equal(catalogued.Linear! with { StateBytes = 2 }, HfModelConfig.Parse(listed, "local/nemotron-listed").Linear);
    }

    [Fact]
    public void A_latent_expert_nemotron_h_config_reads_as_the_catalogued_nemotron_3_super()
    {
        // nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16's config.json (the fields the geometry reads).
        var super = Nemotron3Nano
            .Replace("\"hidden_size\": 2688, \"num_hidden_layers\": 52", "\"hidden_size\": 4096, \"num_hidden_layers\": 88", StringComparison.Ordinal)
            .Replace("MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME", "MEMEMEM*EMEMEMEM*EMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEM*EMEMEMEME", StringComparison.Ordinal)
            .Replace("\"intermediate_size\": 1856", "\"intermediate_size\": 2688", StringComparison.Ordinal)
            .Replace("\"mamba_num_heads\": 64", "\"mamba_num_heads\": 128", StringComparison.Ordinal)
            .Replace("\"n_routed_experts\": 128, \"num_experts_per_tok\": 6, \"moe_intermediate_size\": 1856", "\"n_routed_experts\": 512, \"num_experts_per_tok\": 22, \"moe_intermediate_size\": 2688, \"moe_latent_size\": 1024", StringComparison.Ordinal)
            .Replace("\"moe_shared_expert_intermediate_size\": 3712", "\"moe_shared_expert_intermediate_size\": 5376", StringComparison.Ordinal);
        var read = HfModelConfig.Parse(super, "local/nemotron-3-super");
        var catalogued = ModelCatalog.Nemotron3Super120B;
        Assert.Equal(catalogued.Moe, read.Moe);
        Assert.Equal(1024, read.Moe!.LatentSize);
        Assert.Equal(catalogued.Linear, read.Linear);
        Assert.Equal(catalogued.Nas, read.Nas);
        Assert.Equal(catalogued.TotalParams, read.TotalParams);
        Assert.Equal(catalogued.ActiveParams, read.ActiveParams);
    }

    [Theory]
    [InlineData("\"MEMEM*E", "\"MEMEX*E", "hybrid_override_pattern[4] is 'X'")]
    [InlineData("\"mlp_hidden_act\": \"relu2\"", "\"mlp_hidden_act\": \"silu\"", "'mlp_hidden_act' is 'silu'")]
    [InlineData("\"mamba_head_dim\": 64,", "", "'mamba_head_dim' is missing")]
    public void A_nemotron_h_config_the_model_cannot_represent_is_refused_naming_the_field(string replace, string with, string message)
    {
        var config = Nemotron3Nano.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Nemotron3Nano, config);
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(config, "local/model", where: "--model x/config.json"));
        Assert.Contains("--model x/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_path_and_the_catalogue()
    {
        var error = Assert.Throws<InputException>(() => ModelCatalog.Get("no/such/dir/config.json"));
        Assert.Contains("--model 'no/such/dir/config.json': no such file", error.Message, StringComparison.Ordinal);
        Assert.Contains("disagg models", error.Message, StringComparison.Ordinal);
    }
}
