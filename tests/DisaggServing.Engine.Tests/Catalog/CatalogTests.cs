using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

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
    [InlineData("Qwen/Qwen3-30B-A3B")]
    [InlineData("mistralai/Mixtral-8x7B-Instruct-v0.1")]
    [InlineData("meta-llama/Llama-4-Scout-17B-16E-Instruct")]
    [InlineData("meta-llama/Llama-4-Maverick-17B-128E-Instruct")]
    [InlineData("meta-llama/Llama-2-7b-hf")]
    [InlineData("meta-llama/Llama-2-13b-hf")]
    [InlineData("meta-llama/Llama-2-70b-hf")]
    [InlineData("meta-llama/Llama-3.2-1B-Instruct")]
    [InlineData("meta-llama/Llama-3.2-3B-Instruct")]
    [InlineData("mistralai/Mistral-7B-Instruct-v0.3")]
    [InlineData("mistralai/Mistral-7B-Instruct-v0.2")]
    [InlineData("mistralai/Mistral-7B-Instruct-v0.1")]
    [InlineData("mistralai/Mixtral-8x22B-Instruct-v0.1")]
    [InlineData("mistralai/Mixtral-8x22B-v0.1")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct")]
    [InlineData("Qwen/Qwen2.5-14B-Instruct")]
    [InlineData("Qwen/Qwen2.5-32B-Instruct")]
    [InlineData("Qwen/Qwen2.5-72B-Instruct")]
    [InlineData("Qwen/Qwen3-8B")]
    [InlineData("Qwen/Qwen3-14B")]
    [InlineData("deepseek-ai/DeepSeek-V3.2-Exp")]
    [InlineData("moonshotai/Kimi-K2-Instruct")]
    [InlineData("Qwen/Qwen3-Coder-480B-A35B-Instruct")]
    [InlineData("mistralai/Mistral-Large-Instruct-2407")]
    [InlineData("mistralai/Mistral-Small-24B-Instruct-2501")]
    [InlineData("mistralai/Mistral-Nemo-Instruct-2407")]
    [InlineData("microsoft/phi-4")]
    [InlineData("google/gemma-3-27b-it")]
    [InlineData("google/gemma-3-12b-it")]
    [InlineData("google/gemma-3-4b-it")]
    [InlineData("google/gemma-3-1b-it")]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B")]
    [InlineData("EleutherAI/gpt-j-6b")]
    [InlineData("tiiuae/falcon-180B")]
    [InlineData("deepseek-ai/DeepSeek-V2")]
    [InlineData("google/gemma-2-27b-it")]
    [InlineData("google/gemma-2-9b-it")]
    [InlineData("google/gemma-2-2b-it")]
    [InlineData("microsoft/Phi-3-mini-4k-instruct")]
    [InlineData("microsoft/Phi-3-medium-4k-instruct")]
    [InlineData("Qwen/Qwen2.5-0.5B-Instruct")]
    [InlineData("Qwen/Qwen2.5-1.5B-Instruct")]
    [InlineData("Qwen/Qwen2.5-3B-Instruct")]
    [InlineData("codellama/CodeLlama-34b-Instruct-hf")]
    [InlineData("tiiuae/falcon-40b")]
    [InlineData("tiiuae/falcon-7b")]
    [InlineData("ibm-granite/granite-3.1-8b-instruct")]
    [InlineData("Qwen/Qwen3-Next-80B-A3B-Instruct")]
    [InlineData("Qwen/Qwen3.5-397B-A17B")]
    [InlineData("Qwen/Qwen3.5-122B-A10B")]
    [InlineData("Qwen/Qwen3.5-27B")]
    [InlineData("Qwen/Qwen3.5-9B")]
    [InlineData("microsoft/Phi-4-mini-instruct")]
    [InlineData("mistralai/Ministral-8B-Instruct-2410")]
    [InlineData("mistralai/Codestral-22B-v0.1")]
    [InlineData("01-ai/Yi-34B-Chat")]
    [InlineData("tiiuae/Falcon3-10B-Instruct")]
    [InlineData("tiiuae/Falcon3-7B-Instruct")]
    [InlineData("bigcode/starcoder2-15b")]
    [InlineData("bigcode/starcoder2-7b")]
    [InlineData("mistralai/Mistral-Large-3-675B-Instruct-2512")]
    public void Geometry_reproduces_the_published_parameter_counts(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        Assert.InRange(model.ActiveParams / model.PublishedActiveParams, 0.95, 1.06);
    }

    [Fact]
    public void DeepSeek_v2_lite_is_mla_without_a_query_down_projection_and_its_card_counts_active_parameters_without_the_input_embedding()
    {
        var model = ModelCatalog.Get("deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct");
        Assert.Equal("deepseek-ai/DeepSeek-V2-Lite", model.AliasOf);
        Assert.Equal(0, model.Mla!.QLoraRank);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        var activeWithoutInputEmbedding = model.ActiveParams - (double)model.Vocab * model.Hidden;
        Assert.InRange(activeWithoutInputEmbedding / model.PublishedActiveParams, 0.98, 1.04);
    }

    [Theory]
    [InlineData("microsoft/Phi-4-reasoning", "microsoft/phi-4", 32768)]
    [InlineData("microsoft/Phi-4-reasoning-plus", "microsoft/phi-4", 32768)]
    [InlineData("microsoft/Phi-4-mini-reasoning", "microsoft/Phi-4-mini-instruct", 131072)]
    [InlineData("mistralai/Devstral-Small-2507", "mistralai/Mistral-Small-24B-Instruct-2501", 131072)]
    [InlineData("openai/gpt-oss-safeguard-20b", "openai/gpt-oss-20b", 131072)]
    public void A_fine_tune_keeps_its_bases_geometry_and_weights_with_its_own_context(string id, string of, int context)
    {
        var model = ModelCatalog.Get(id);
        var basis = ModelCatalog.Get(of);
        Assert.Equal(of, model.AliasOf);
        Assert.Equal(basis.TotalParams, model.TotalParams);
        Assert.Equal(basis.CheckpointDtype, model.CheckpointDtype);
        Assert.Equal(context, model.MaxContext);
    }

    [Fact]
    public void Ernie_4_5_21b_a3b_reproduces_its_cards_counts_with_two_shared_experts_behind_one_dense_layer()
    {
        var model = ModelCatalog.Get("baidu/ERNIE-4.5-21B-A3B-PT");
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.99, 1.01);
        // 3B activated: its 27 MoE layers' six routed and two shared experts, the attention and the dense layer, the
        // (tied) embedding left out.
        Assert.InRange(model.ActiveLayerParamsPerToken / model.PublishedActiveParams, 0.98, 1.04);
        Assert.Equal((2, 1), (model.Moe!.SharedExperts, model.DenseLayers));
    }

    [Fact]
    public void Glm_4_7_flash_caches_deepseeks_latent_under_wider_heads_and_holds_its_thirty_billion_parameters()
    {
        var model = ModelCatalog.Get("zai-org/GLM-4.7-Flash");
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.99, 1.01);
        // 47 layers of a 512-element latent and a 64-element rope key, BF16: the same 576 a layer as DeepSeek-V3's.
        Assert.Equal(47 * 576 * 2.0, model.KvBytesPerToken(DType.Bf16));
        Assert.True(model.Moe!.BiasedSigmoidRouting);
        // "A3B" names it: 46 MoE layers of 4 routed and 1 shared expert, the attention and the output head come to 3.6B.
        var activeWithoutInputEmbedding = model.ActiveParams - (double)model.Vocab * model.Hidden;
        Assert.InRange(activeWithoutInputEmbedding / 1e9, 3.5, 3.7);
    }

    [Fact]
    public void Qwen3_5_35b_a3b_is_a_hybrid_of_three_deltanet_layers_to_one_of_attention_whose_card_counts_active_parameters_without_the_input_embedding()
    {
        var model = ModelCatalog.Get("Qwen/Qwen3.5-35B-A3B");
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        var activeWithoutInputEmbedding = model.ActiveParams - (double)model.Vocab * model.Hidden;
        Assert.InRange(activeWithoutInputEmbedding / model.PublishedActiveParams, 0.98, 1.04);
        Assert.Equal((30, 10), (model.Linear!.Layers, model.AttentionLayers));
        Assert.Equal(4, model.Linear.StateBytes);
        Assert.False(model.PrefixCacheable);
    }

    [Fact]
    public void Gemma_4s_full_attention_layers_keep_their_own_wider_heads_in_the_kv_cache_and_the_parameter_count()
    {
        var model = ModelCatalog.Get("google/gemma-4-31B-it");
        Assert.InRange(model.TotalParams / 30.7e9, 0.99, 1.01);
        // 50 sliding layers of 16 KV heads of 256, 10 full ones of 4 of 512, keys and values both cached (BF16).
        Assert.Equal((50 * 2.0 * 16 * 256 + 10 * 2.0 * 4 * 512) * 2, model.KvBytesPerToken(DType.Bf16));
        Assert.Equal(50 * 8192.0 / (50 * 8192.0 + 10 * 4096.0), model.WindowedShare(kv: true), 12);
        Assert.Equal(50 * 256.0 / (50 * 256.0 + 10 * 512.0), model.WindowedShare(kv: false), 12);
        // A full layer has no value projection (keys are its values): 5376 × (32 × 512 × 2 + 4 × 512) against a sliding
        // layer's 5376 × (32 × 256 × 2 + 16 × 256 × 2).
        Assert.Equal((50 * 5376.0 * (32 * 256 * 2 + 16 * 256 * 2) + 10 * 5376.0 * (32 * 512 * 2 + 4 * 512)) / 60, model.AttentionParamsPerLayer);
        // Without a distinct full-layer geometry the shares are the layers' (gpt-oss: half its layers windowed).
        Assert.Equal(0.5, ModelCatalog.Get("openai/gpt-oss-120b").WindowedShare(kv: true));
    }

    [Fact]
    public void Gemma_4_26b_a4b_runs_its_dense_mlp_beside_its_experts_counted_as_three_shared_experts_of_their_width()
    {
        var model = ModelCatalog.Get("google/gemma-4-26B-A4B-it");
        Assert.Equal(3 * 704, model.Moe!.SharedExperts * model.Moe.ExpertFfn);
        Assert.Equal(model.Ffn, model.Moe.SharedExperts * model.Moe.ExpertFfn);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.99, 1.01);
        Assert.InRange(model.ActiveParams / model.PublishedActiveParams, 0.98, 1.03);
        Assert.True(ModelCatalog.Get("RedHatAI/gemma-4-31B-it-FP8-block").BlockScaledFp8);
        // At TP4 each rank holds 2 of the sliding layers' 8 KV heads but a whole copy of one of the full layers' 2
        // (replicated), so per rank the two kinds cost alike a layer: the sliding share is their share of the layers.
        Assert.Equal(25 * 8.0 * 256 / (25 * 8.0 * 256 + 5 * 2.0 * 512), model.WindowedShare(kv: true), 12);
        Assert.Equal(25.0 / 30, model.WindowedShare(kv: true, tp: 4), 12);
        Assert.Equal((25 * 2.0 * 2 * 256 + 5 * 2.0 * 1 * 512) / 30, model.KvElementsPerRankPerLayer(4), 12);
        // A TP that the full layers' KV heads and it do not divide is refused, naming those layers.
        var uneven = model with { Heads = 24, KvHeads = 12, GlobalAttention = model.GlobalAttention! with { KvHeads = 8 } };
        var error = Assert.Throws<InputException>(() => new EngineSpec { Model = uneven, Gpu = GpuCatalog.H200Sxm, TensorParallel = 6 }.Validate());
        Assert.Contains("full-attention layers", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EleutherAI/gpt-j-6b")]
    [InlineData("tiiuae/falcon-180B")]
    public void A_plain_gelu_mlp_has_two_matrices_where_a_gated_one_of_the_same_width_has_three(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.False(model.GatedMlp);
        Assert.Equal(2.0 * model.Hidden * model.Ffn, model.DenseMlpParams);
        Assert.Equal(model.DenseMlpParams * 1.5, (model with { GatedMlp = true }).DenseMlpParams);
        Assert.Equal(4 * model.Hidden, model.Ffn);
    }

    [Theory]
    [InlineData("openai/gpt-oss-120b")]
    [InlineData("openai/gpt-oss-20b")]
    [InlineData("openai/gpt-oss-safeguard-120b")]
    [InlineData("openai/gpt-oss-safeguard-20b")]
    public void Gpt_oss_geometry_reproduces_the_model_card_which_counts_active_parameters_without_the_input_embedding(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.99, 1.01);
        var activeWithoutInputEmbedding = model.ActiveParams - (double)model.Vocab * model.Hidden;
        Assert.InRange(activeWithoutInputEmbedding / model.PublishedActiveParams, 0.98, 1.02);
    }

    [Theory]
    [InlineData("zai-org/GLM-4.5")]
    [InlineData("zai-org/GLM-4.5-Air")]
    public void Glm_geometry_reproduces_the_model_card_which_counts_active_parameters_without_the_embeddings(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        Assert.InRange(model.ActiveLayerParamsPerToken / model.PublishedActiveParams, 0.98, 1.03);
        Assert.Equal(1, model.Moe!.SharedExperts);
        Assert.True(model.DenseLayers > 0);
    }

    [Fact]
    public void MiniMax_m2_geometry_reproduces_the_model_card_which_counts_active_parameters_without_the_embeddings()
    {
        var model = ModelCatalog.Get("MiniMaxAI/MiniMax-M2");
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        Assert.InRange(model.ActiveLayerParamsPerToken / model.PublishedActiveParams, 0.97, 1.03);
        Assert.Equal((0, 0), (model.Moe!.SharedExperts, model.DenseLayers));
        Assert.Equal(DType.Fp8, model.CheckpointDtype);
        Assert.True(model.BlockScaledFp8);
        // Its later releases keep its shapes and FP8 blocks; NVIDIA's M2.7 export is NVFP4.
        var m27 = ModelCatalog.Get("MiniMaxAI/MiniMax-M2.7");
        Assert.Equal((model.TotalParams, DType.Fp8, true), (m27.TotalParams, m27.CheckpointDtype!.Value, m27.BlockScaledFp8));
        Assert.Equal(DType.Fp4, ModelCatalog.Get("nvidia/MiniMax-M2.7-NVFP4").CheckpointDtype);
    }

    [Fact]
    public void Kimi_k2_is_deepseek_v3_with_384_experts_64_heads_and_one_dense_layer()
    {
        var kimi = ModelCatalog.KimiK2;
        Assert.Equal((384, 8, 1, 1), (kimi.Moe!.RoutedExperts, kimi.Moe.ExpertsPerToken, kimi.Moe.SharedExperts, kimi.DenseLayers));
        Assert.Equal(64, kimi.Heads);
        Assert.Equal(ModelCatalog.DeepSeekV3.Mla, kimi.Mla);
        // Same latent as DeepSeek-V3, so the same KV bytes per token: 61 × (512 + 64) × 2.
        Assert.Equal(ModelCatalog.DeepSeekV3.KvBytesPerToken(DType.Bf16), kimi.KvBytesPerToken(DType.Bf16));
        Assert.Equal(262144, ModelCatalog.Get("moonshotai/Kimi-K2-Thinking").MaxContext);
    }

    [Theory]
    [InlineData("Qwen/Qwen3-VL-235B-A22B-Instruct", "Qwen/Qwen3-235B-A22B", 27)]
    [InlineData("Qwen/Qwen3-VL-30B-A3B-Thinking", "Qwen/Qwen3-30B-A3B", 27)]
    [InlineData("Qwen/Qwen3-VL-8B-Instruct", "Qwen/Qwen3-8B", 27)]
    [InlineData("Qwen/Qwen3-VL-4B-Instruct", "Qwen/Qwen3-4B", 24)]
    public void Qwen3_vl_runs_a_qwen3_text_stack_behind_a_vision_tower(string id, string text, int visionLayers)
    {
        var model = ModelCatalog.Get(id);
        var stack = ModelCatalog.Get(text);
        Assert.Equal(text, model.AliasOf);
        Assert.Equal((stack.Layers, stack.Hidden, stack.KvHeads), (model.Layers, model.Hidden, model.KvHeads));
        Assert.Equal(stack.TotalParams, model.TotalParams);
        Assert.Equal(visionLayers, model.Vision!.Layers);
        Assert.Null(stack.Vision);
        Assert.Equal(262144, model.MaxContext);
        // Qwen's FP8 releases are block-scaled.
        var fp8 = ModelCatalog.Get(id.Replace("-Instruct", "-Instruct-FP8").Replace("-Thinking", "-Thinking-FP8"));
        Assert.Equal(DType.Fp8, fp8.CheckpointDtype);
        Assert.True(fp8.BlockScaledFp8);
    }

    [Theory]
    [InlineData("Qwen/Qwen2.5-VL-3B-Instruct", "Qwen/Qwen2.5-3B-Instruct")]
    [InlineData("Qwen/Qwen2.5-VL-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct")]
    [InlineData("Qwen/Qwen2.5-VL-32B-Instruct", "Qwen/Qwen2.5-32B-Instruct")]
    [InlineData("Qwen/Qwen2.5-VL-72B-Instruct", "Qwen/Qwen2.5-72B-Instruct")]
    public void Qwen2_5_vl_runs_the_qwen2_5_text_stack_of_its_size_behind_a_32_layer_vision_tower(string id, string text)
    {
        var model = ModelCatalog.Get(id);
        var stack = ModelCatalog.Get(text);
        Assert.Equal(text, model.AliasOf);
        Assert.Equal((stack.Layers, stack.Hidden, stack.KvHeads, stack.Vocab, stack.TotalParams), (model.Layers, model.Hidden, model.KvHeads, model.Vocab, model.TotalParams));
        Assert.Equal(new VisionEncoderSpec(32, 1280), model.Vision);
        Assert.Equal(128000, model.MaxContext);
    }

    [Theory]
    [InlineData("moonshotai/Kimi-K2-Thinking")]
    [InlineData("moonshotai/Kimi-K2.5")]
    [InlineData("moonshotai/Kimi-K2.6")]
    public void Kimis_int4_releases_quantize_only_their_routed_experts(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.Equal(DType.Int4, model.CheckpointDtype);
        Assert.True(model.QuantizedExpertsOnly);
        Assert.Equal(DType.Bf16, model.DenseWeights(DType.Int4));
        // The NVFP4 exports quantize every layer ModelOpt quantizes, as the others.
        Assert.False(ModelCatalog.Get("nvidia/Kimi-K2-Thinking-NVFP4").QuantizedExpertsOnly);
        var k25Fp4 = ModelCatalog.Get("nvidia/Kimi-K2.5-NVFP4");
        Assert.Equal((DType.Fp4, false), (k25Fp4.CheckpointDtype!.Value, k25Fp4.QuantizedExpertsOnly));
    }

    [Fact]
    public void DeepSeek_v3_2_exp_adds_a_sparse_attention_indexer_to_v3()
    {
        var v32 = ModelCatalog.Get("deepseek-ai/DeepSeek-V3.2-Exp");
        Assert.Equal((64, 128, 2048), (v32.Mla!.IndexerHeads, v32.Mla.IndexerHeadDim, v32.Mla.IndexerTopK));
        Assert.Equal(ModelCatalog.DeepSeekV3.Moe, v32.Moe);
        // The indexer caches one 128-wide key per token and layer beside V3's latent: 61 × (512 + 64 + 128) × 2.
        Assert.Equal(85_888, v32.KvBytesPerToken(DType.Bf16));
        Assert.True(v32.TotalParams > ModelCatalog.DeepSeekV3.TotalParams);
        Assert.Equal((DType?)DType.Fp8, v32.CheckpointDtype);
    }

    [Theory]
    [InlineData("google/gemma-3-27b-it", 62, 52, 1024)]
    [InlineData("google/gemma-3-12b-it", 48, 40, 1024)]
    [InlineData("google/gemma-3-4b-it", 34, 29, 1024)]
    [InlineData("google/gemma-3-1b-it", 26, 22, 512)]
    public void Gemma_3_slides_a_short_window_over_five_of_six_layers_and_pools_kv_for_the_global_ones(string id, int layers, int windowed, int window)
    {
        var model = ModelCatalog.Get(id);
        Assert.Equal(layers, model.Layers);
        Assert.Equal((window, windowed, false), (model.Window!.Tokens, model.Window.Layers, model.Window.Chunked));
        Assert.Equal(layers / 6, layers - windowed);
        Assert.Equal(layers - windowed, model.PooledKvLayers);
        Assert.Equal(window, model.Window.KeysAttended(8000));
        Assert.True(model.TiedEmbeddings);
    }

    [Fact]
    public void Llama_3_2_ties_its_lm_head_to_the_input_embedding()
    {
        Assert.True(ModelCatalog.Llama32_1B.TiedEmbeddings);
        Assert.Equal((double)ModelCatalog.Llama32_3B.Vocab * ModelCatalog.Llama32_3B.Hidden, ModelCatalog.Llama32_3B.EmbeddingParams);
        // 16 layers × 2 × 8 KV heads × 64 × 2 bytes.
        Assert.Equal(32_768, ModelCatalog.Llama32_1B.KvBytesPerToken(DType.Bf16));
    }

    [Fact]
    public void Mistral_7b_v0_1_slides_a_4k_window_over_every_layer_and_later_releases_attend_to_everything()
    {
        var window = ModelCatalog.Get("mistralai/Mistral-7B-Instruct-v0.1").Window!;
        Assert.Equal((4096, 32, false), (window.Tokens, window.Layers, window.Chunked));
        Assert.Equal(4096, window.KeysAttended(30000));
        Assert.Null(ModelCatalog.Mistral7B_v02.Window);
        Assert.Null(ModelCatalog.Mistral7B_v03.Window);
        Assert.Equal(32000, ModelCatalog.Mistral7B_v02.Vocab);
        Assert.Equal(32768, ModelCatalog.Mistral7B_v03.Vocab);
        // Llama 2 70B is GQA, the smaller sizes full multi-head attention: 80 × 2 × 8 × 128 × 2 bytes vs 32 × 2 × 32 × 128 × 2.
        Assert.Equal(327_680, ModelCatalog.Llama2_70B.KvBytesPerToken(DType.Bf16));
        Assert.Equal(524_288, ModelCatalog.Llama2_7B.KvBytesPerToken(DType.Bf16));
    }

    [Fact]
    public void Windowed_layers_keep_their_kv_per_token_but_short_windows_leave_the_pool()
    {
        // gpt-oss-120b: 36 layers × 2 × 8 KV heads × 64 × 2 bytes; half the layers slide over 128 tokens.
        Assert.Equal(73_728, ModelCatalog.GptOss120B.KvBytesPerToken(DType.Bf16));
        Assert.Equal(18, ModelCatalog.GptOss120B.PooledKvLayers);
        Assert.Equal(12, ModelCatalog.GptOss20B.PooledKvLayers);
        // Llama 4: 48 layers × 2 × 8 × 128 × 2 bytes; its 8,192-token chunks hold a benchmark's whole context.
        Assert.Equal(196_608, ModelCatalog.Llama4Maverick.KvBytesPerToken(DType.Bf16));
        Assert.Equal(48, ModelCatalog.Llama4Scout.PooledKvLayers);
        Assert.Equal(80, ModelCatalog.Llama33_70B.PooledKvLayers);
    }

    [Fact]
    public void Chunked_attention_sees_the_whole_context_within_a_chunk_and_half_a_chunk_beyond()
    {
        var chunked = ModelCatalog.Llama4Scout.Window!;
        Assert.Equal(5000, chunked.KeysAttended(5000));
        Assert.Equal(4096, chunked.KeysAttended(30000));
        var sliding = ModelCatalog.GptOss120B.Window!;
        Assert.Equal(100, sliding.KeysAttended(100));
        Assert.Equal(128, sliding.KeysAttended(30000));
    }

    [Theory]
    [InlineData("meta/llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("meta/llama3-70b-instruct", "meta-llama/Meta-Llama-3-70B-Instruct")]
    [InlineData("META/Llama-3.3-70B-Instruct", "meta-llama/Llama-3.3-70B-Instruct")]
    [InlineData("mistralai/mixtral-8x7b-instruct-v01", "mistralai/Mixtral-8x7B-Instruct-v0.1")]
    [InlineData("nvcr.io/nim/meta/llama-3.1-70b-instruct:1.8.0", "meta-llama/Llama-3.1-70B-Instruct")]
    [InlineData("nvcr.io/nim/deepseek-ai/deepseek-r1:latest", "deepseek-ai/DeepSeek-R1")]
    [InlineData("meta-llama3-8b-instruct", "meta-llama/Meta-Llama-3-8B-Instruct")]
    [InlineData("llama3-70b-instruct", "meta-llama/Meta-Llama-3-70B-Instruct")]
    [InlineData("mixtral-8x7b-instruct-v01", "mistralai/Mixtral-8x7B-Instruct-v0.1")]
    public void Nims_model_names_and_container_references_resolve_to_the_checkpoint_nim_serves(string nimName, string huggingFace)
    {
        var model = ModelCatalog.Get(nimName);
        Assert.Same(ModelCatalog.Get(huggingFace), model);
        Assert.Equal(huggingFace, model.Id);
    }

    [Theory]
    [InlineData("meta/llama3-8b-instruct", true)]
    [InlineData("META/Llama-3.3-70B-Instruct", true)]
    [InlineData("meta-llama3-8b-instruct", true)]
    [InlineData("llama3-70b-instruct", true)]
    [InlineData("nvcr.io/nim/deepseek-ai/deepseek-r1:latest", true)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct", false)]
    [InlineData("deepseek-ai/deepseek-r1", false)]
    [InlineData("llama-3.1-8b-instruct", false)]
    [InlineData("gpt-oss-120b", false)]
    [InlineData("nvcr.io/nim/meta/llama-9-8b-instruct:1.0", false)]
    public void A_name_is_nims_own_only_where_no_hugging_face_id_reads_as_it(string name, bool nims)
    {
        Assert.Equal(nims, ModelCatalog.IsNimName(name));
    }

    [Fact]
    public void An_unknown_nim_name_is_an_error_naming_the_closest_ids()
    {
        var error = Assert.Throws<InputException>(() => ModelCatalog.Get("nvcr.io/nim/meta/llama-9-8b-instruct:1.0"));
        Assert.Contains("Unknown model", error.Message);
        Assert.Contains("--model", error.Message);
    }

    [Theory]
    [InlineData("deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-V3", DType.Fp8)]
    [InlineData("deepseek-ai/DeepSeek-R1-0528", "deepseek-ai/DeepSeek-V3", DType.Fp8)]
    [InlineData("deepseek-ai/DeepSeek-V3.1", "deepseek-ai/DeepSeek-V3", DType.Fp8)]
    [InlineData("nvidia/DeepSeek-R1-0528-FP4-v2", "deepseek-ai/DeepSeek-V3", DType.Fp4)]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Llama-3.3-70B-Instruct", null)]
    [InlineData("nvidia/Llama-3.3-70B-Instruct-FP4", "meta-llama/Llama-3.3-70B-Instruct", DType.Fp4)]
    [InlineData("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic", "meta-llama/Llama-3.1-8B-Instruct", DType.Fp8)]
    [InlineData("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "Qwen/Qwen3-235B-A22B", DType.Fp8)]
    [InlineData("Qwen/Qwen3-30B-A3B-FP8", "Qwen/Qwen3-30B-A3B", DType.Fp8)]
    [InlineData("nvidia/Llama-4-Maverick-17B-128E-Instruct-FP8", "meta-llama/Llama-4-Maverick-17B-128E-Instruct", DType.Fp8)]
    [InlineData("meta-llama/Llama-2-70b-chat-hf", "meta-llama/Llama-2-70b-hf", null)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "meta-llama/Llama-3.3-70B-Instruct", null)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "meta-llama/Llama-3.1-8B-Instruct", null)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "Qwen/Qwen2.5-32B-Instruct", null)]
    [InlineData("neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8", "meta-llama/Llama-3.3-70B-Instruct", DType.Fp8)]
    [InlineData("Qwen/Qwen3-8B-FP8", "Qwen/Qwen3-8B", DType.Fp8)]
    [InlineData("zai-org/GLM-4.6", "zai-org/GLM-4.5", null)]
    [InlineData("zai-org/GLM-4.7-FP8", "zai-org/GLM-4.5", DType.Fp8)]
    [InlineData("zai-org/GLM-5", "zai-org/GLM-5-FP8", null)]
    [InlineData("zai-org/GLM-5.1-FP8", "zai-org/GLM-5-FP8", DType.Fp8)]
    [InlineData("deepseek-ai/DeepSeek-V3.1-Terminus", "deepseek-ai/DeepSeek-V3", DType.Fp8)]
    [InlineData("MiniMaxAI/MiniMax-M2.1", "MiniMaxAI/MiniMax-M2", DType.Fp8)]
    [InlineData("Qwen/Qwen3-Coder-30B-A3B-Instruct", "Qwen/Qwen3-30B-A3B", null)]
    [InlineData("zai-org/GLM-4.5-Air-FP8", "zai-org/GLM-4.5-Air", DType.Fp8)]
    [InlineData("deepseek-ai/DeepSeek-V3.2", "deepseek-ai/DeepSeek-V3.2-Exp", DType.Fp8)]
    [InlineData("moonshotai/Kimi-K2-Instruct-0905", "moonshotai/Kimi-K2-Instruct", DType.Fp8)]
    [InlineData("moonshotai/Kimi-K2-Thinking", "moonshotai/Kimi-K2-Instruct", DType.Int4)]
    [InlineData("moonshotai/Kimi-K2.5", "moonshotai/Kimi-K2-Instruct", DType.Int4)]
    [InlineData("nvidia/Kimi-K2-Thinking-NVFP4", "moonshotai/Kimi-K2-Instruct", DType.Fp4)]
    [InlineData("nvidia/DeepSeek-V3.2-NVFP4", "deepseek-ai/DeepSeek-V3.2-Exp", DType.Fp4)]
    [InlineData("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8", "Qwen/Qwen3-Coder-480B-A35B-Instruct", DType.Fp8)]
    [InlineData("Qwen/QwQ-32B", "Qwen/Qwen2.5-32B-Instruct", null)]
    [InlineData("Qwen/Qwen2.5-Coder-32B-Instruct", "Qwen/Qwen2.5-32B-Instruct", null)]
    [InlineData("Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", null)]
    [InlineData("deepseek-ai/DeepSeek-Prover-V2-671B", "deepseek-ai/DeepSeek-V3", DType.Fp8)]
    [InlineData("meta-llama/CodeLlama-70b-Instruct-hf", "meta-llama/Llama-2-70b-hf", null)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "Qwen/Qwen2.5-14B-Instruct", null)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "Qwen/Qwen2.5-7B-Instruct", null)]
    [InlineData("RedHatAI/DeepSeek-R1-Distill-Qwen-1.5B-FP8-dynamic", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", DType.Fp8)]
    [InlineData("nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", "meta-llama/Llama-3.3-70B-Instruct", null)]
    [InlineData("mistralai/Mistral-Large-Instruct-2411", "mistralai/Mistral-Large-Instruct-2407", null)]
    [InlineData("mistralai/Mistral-Small-3.1-24B-Instruct-2503", "mistralai/Mistral-Small-24B-Instruct-2501", null)]
    [InlineData("mistralai/Mistral-Small-3.2-24B-Instruct-2506", "mistralai/Mistral-Small-24B-Instruct-2501", null)]
    [InlineData("RedHatAI/Mistral-Small-24B-Instruct-2501-FP8-dynamic", "mistralai/Mistral-Small-24B-Instruct-2501", DType.Fp8)]
    [InlineData("RedHatAI/gemma-3-27b-it-FP8-dynamic", "google/gemma-3-27b-it", DType.Fp8)]
    [InlineData("RedHatAI/phi-4-FP8-dynamic", "microsoft/phi-4", DType.Fp8)]
    public void Aliases_share_their_models_geometry_and_carry_the_checkpoint_format(string alias, string of, DType? weights)
    {
        var model = ModelCatalog.Get(alias.ToUpperInvariant());
        var canonical = ModelCatalog.Get(of);
        Assert.Equal(alias, model.Id);
        Assert.Equal(of, model.AliasOf);
        Assert.Equal(weights, model.CheckpointDtype);
        Assert.Equal((canonical.TotalParams, canonical.KvBytesPerToken(DType.Bf16), canonical.Moe, canonical.Mla), (model.TotalParams, model.KvBytesPerToken(DType.Bf16), model.Moe, model.Mla));
        Assert.Same(model, ModelCatalog.Get(alias));
        Assert.DoesNotContain(alias, ModelCatalog.All.Keys);
        Assert.Contains(alias, ModelCatalog.Aliases.Keys);
    }

    [Fact]
    public void Llama_3_checkpoints_share_llama_3_1_geometry_with_an_8k_context()
    {
        var llama3 = ModelCatalog.Get("meta-llama/Meta-Llama-3-8B-Instruct");
        Assert.Equal(8192, llama3.MaxContext);
        Assert.Equal(131072, ModelCatalog.Llama31_8B.MaxContext);
        Assert.Equal(ModelCatalog.Llama31_8B.TotalParams, llama3.TotalParams);
        Assert.Equal(262144, ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507").MaxContext);
        Assert.Equal(202752, ModelCatalog.Get("zai-org/GLM-4.6").MaxContext);
        Assert.Equal(202752, ModelCatalog.Get("zai-org/GLM-4.6-FP8").MaxContext);
        Assert.False(ModelCatalog.Get("zai-org/GLM-4.6-FP8").BlockScaledFp8);
        Assert.Equal(131072, ModelCatalog.Get("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B").MaxContext);
        Assert.Equal(40960, ModelCatalog.Get("Qwen/QwQ-32B").MaxContext);
        Assert.Equal(131072, ModelCatalog.Get("mistralai/Mistral-Small-3.1-24B-Instruct-2503").MaxContext);
        Assert.Equal(32768, ModelCatalog.MistralSmall2501.MaxContext);
        Assert.True(ModelCatalog.Get("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8").BlockScaledFp8);
        Assert.False(ModelCatalog.Get("RedHatAI/gemma-3-27b-it-FP8-dynamic").BlockScaledFp8);
    }

    [Fact]
    public void A_quantized_checkpoint_implies_its_dtype_and_refuses_another()
    {
        var fp8 = ModelCatalog.Get("nvidia/Llama-3.3-70B-Instruct-FP8");
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(fp8, null));
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(fp8, DType.Fp8));
        var error = Assert.Throws<InputException>(() => DTypes.ForCheckpoint(fp8, DType.Fp4));
        Assert.Contains("--dtype fp4", error.Message);
        Assert.Contains("nvidia/Llama-3.3-70B-Instruct-FP8", error.Message);
        Assert.Contains("fp8", error.Message);
        // The fix names the same geometry's release in the asked format where the catalog has one, else its BF16 one.
        Assert.Contains("--model nvidia/Llama-3.3-70B-Instruct-FP4 (its fp4 release)", error.Message);
        Assert.Contains("--model nvidia/DeepSeek-R1-FP4 (its fp4 release)",
            Assert.Throws<InputException>(() => DTypes.ForCheckpoint(ModelCatalog.Get("deepseek-ai/DeepSeek-R1"), DType.Fp4)).Message);
        Assert.Contains("--model meta-llama/Llama-3.3-70B-Instruct (BF16 weights) for bf16",
            Assert.Throws<InputException>(() => DTypes.ForCheckpoint(fp8, DType.Bf16)).Message);
        Assert.Contains("--model moonshotai/Kimi-K2-Instruct (a release of the same architecture in fp8)",
            Assert.Throws<InputException>(() => DTypes.ForCheckpoint(ModelCatalog.Get("moonshotai/Kimi-K2-Thinking"), DType.Fp8)).Message);
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(ModelCatalog.DeepSeekV3, null));
        Assert.Equal(DType.Mxfp4, DTypes.ForCheckpoint(ModelCatalog.GptOss120B, null));
        // A BF16 checkpoint runs as given or quantized on load.
        Assert.Equal(DType.Bf16, DTypes.ForCheckpoint(ModelCatalog.Llama33_70B, null));
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(ModelCatalog.Llama33_70B, DType.Fp8));
    }

    [Fact]
    public void An_estimate_of_a_quantized_checkpoint_in_another_format_costs_its_release_in_that_format()
    {
        // Its own release in the asked format, named in the note.
        var r1 = DTypes.ForEstimate(ModelCatalog.Get("deepseek-ai/DeepSeek-R1"), DType.Fp4);
        Assert.Equal(("nvidia/DeepSeek-R1-FP4", DType.Fp4), (r1.Model.Id, r1.Dtype));
        Assert.Contains("nvidia/DeepSeek-R1-FP4, its fp4 release", r1.Note);
        // Not a differently named model of the same architecture while the BF16 weights can be quantized on load.
        var bf16 = DTypes.ForEstimate(ModelCatalog.Get("nvidia/Llama-3.3-70B-Instruct-FP8"), DType.Bf16);
        Assert.Equal(("meta-llama/Llama-3.3-70B-Instruct", DType.Bf16), (bf16.Model.Id, bf16.Dtype));
        // A sibling where nothing closer exists, and the model itself in the asked format where nothing does.
        Assert.Equal("moonshotai/Kimi-K2-Instruct", DTypes.ForEstimate(ModelCatalog.Get("moonshotai/Kimi-K2-Thinking"), DType.Fp8).Model.Id);
        var whatIf = DTypes.ForEstimate(ModelCatalog.GptOss120B, DType.Fp8);
        Assert.Equal((ModelCatalog.GptOss120B.Id, DType.Fp8), (whatIf.Model.Id, whatIf.Dtype));
        Assert.Contains("no engine loads it so", whatIf.Note);
        // fp4 of an MXFP4 checkpoint is the checkpoint as shipped.
        Assert.Equal(DType.Mxfp4, DTypes.ForEstimate(ModelCatalog.GptOss120B, DType.Fp4).Dtype);
        // Nothing to substitute: no note.
        Assert.Null(DTypes.ForEstimate(ModelCatalog.DeepSeekV3, DType.Fp8).Note);
        Assert.Null(DTypes.ForEstimate(ModelCatalog.Llama33_70B, DType.Fp4).Note);
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
    public void An_unknown_model_names_the_field_the_closest_ids_and_where_the_full_list_is()
    {
        var error = Assert.Throws<InputException>(() => ModelCatalog.Get("Qwen/Qwen3-32B-Instruct", "Worker:Model"));
        Assert.Contains("Unknown model 'Qwen/Qwen3-32B-Instruct' for Worker:Model", error.Message);
        var closest = error.Message[error.Message.IndexOf("Closest: ", StringComparison.Ordinal)..].Split(". ")[0];
        Assert.Contains("Qwen/Qwen3-32B", closest["Closest: ".Length..].Split(", "));
        Assert.Equal(4, closest.Count(c => c == ','));
        Assert.Contains("'disagg models'", error.Message);
        // The error suggests a handful, not the whole catalog.
        Assert.DoesNotContain("openai/gpt-oss-120b", error.Message);
        var typo = Assert.Throws<InputException>(() => ModelCatalog.Get("meta-llama/Llama-3.3-70B-Instrut"));
        Assert.Contains("Closest: meta-llama/Llama-3.3-70B-Instruct,", typo.Message);
        var instance = Assert.Throws<InputException>(() => InstanceCatalog.Get("p3.2xlarge"));
        Assert.Contains("p5.48xlarge", instance.Message);
    }

    [Theory]
    [InlineData("h100", "h100-sxm")]
    [InlineData("H100", "h100-sxm")]
    [InlineData("H100_SXM", "h100-sxm")]
    [InlineData("h100-80g", "h100-sxm")]
    [InlineData("h100-sxm5", "h100-sxm")]
    [InlineData("NVIDIA H100 80GB HBM3", "h100-sxm")]
    [InlineData("h200", "h200-sxm")]
    [InlineData("h200-141g", "h200-sxm")]
    [InlineData("NVIDIA H200", "h200-sxm")]
    [InlineData("NVIDIA B200", "b200")]
    [InlineData("hgx-b200", "b200")]
    [InlineData("a100", "a100-80g")]
    [InlineData("A100-80GB", "a100-80g")]
    [InlineData("NVIDIA A100-SXM4-80GB", "a100-80g")]
    [InlineData("a100-40gb", "a100-40g")]
    [InlineData("NVIDIA A100-SXM4-40GB", "a100-40g")]
    public void Gpu_aliases_and_nvidia_smi_names_resolve_to_the_canonical_gpu(string name, string id)
    {
        Assert.Same(GpuCatalog.All[id], GpuCatalog.Get(name));
        Assert.Equal(id, GpuCatalog.Get(name).Id);
    }

    [Theory]
    [InlineData("HGX H100", "h100-sxm")]
    [InlineData("DGX H100", "h100-sxm")]
    [InlineData("H200 SXM 141GB", "h200-sxm")]
    [InlineData("A100-SXM-80GB", "a100-80g")]
    [InlineData("NVIDIA A100 SXM4 40 GB", "a100-40g")]
    [InlineData("B200 192GB", "b200")]
    public void Other_spellings_resolve_word_by_word_to_the_part_with_that_memory(string name, string id) =>
        Assert.Equal(id, GpuCatalog.Get(name).Id);

    [Theory]
    [InlineData("H100 94GB")]
    [InlineData("H100 PCIe 80GB")]
    [InlineData("A100 H100")]
    [InlineData("GH200")]
    public void A_spelling_with_another_memory_size_form_factor_or_chip_is_not_a_catalogued_part(string name) =>
        Assert.Throws<InputException>(() => GpuCatalog.Get(name));

    [Theory]
    [InlineData("NVIDIA H100 PCIe")]
    [InlineData("h100-nvl")]
    [InlineData("H20")]
    [InlineData("GB200")]
    [InlineData("L40S")]
    public void A_different_board_is_not_aliased_and_its_error_says_we_do_not_model_it(string name)
    {
        var error = Assert.Throws<InputException>(() => GpuCatalog.Get(name, "Worker:Gpu"));
        Assert.Contains($"Unknown GPU '{name}' for Worker:Gpu: we do not model that GPU", error.Message);
        Assert.Contains("Closest modelled: ", error.Message);
        foreach (var id in GpuCatalog.All.Keys) Assert.Contains(id, error.Message);
        Assert.Contains("h100-sxm (h100,", error.Message);
    }

    [Fact]
    public void A_mistyped_gpu_suggests_the_nearest_ids()
    {
        var error = Assert.Throws<InputException>(() => GpuCatalog.Get("h100-sx", "--gpus"));
        Assert.Contains("for --gpus", error.Message);
        Assert.Contains("Closest modelled: h100-sxm, ", error.Message);
        var pcie = Assert.Throws<InputException>(() => GpuCatalog.Get("NVIDIA H100 PCIe"));
        // Suggestions are canonical ids, not aliases.
        Assert.Contains("Closest modelled: h100-sxm, ", pcie.Message);
    }

    [Fact]
    public void Every_gpu_alias_names_a_catalogued_gpu_and_no_alias_shadows_an_id()
    {
        foreach (var (alias, id) in GpuAliases.All)
        {
            Assert.Contains(id, GpuCatalog.All.Keys);
            Assert.DoesNotContain(alias, GpuCatalog.All.Keys);
            Assert.Equal(alias, GpuAliases.Normalize(alias));
        }
    }

    [Fact]
    public void Closest_ids_rank_shared_words_before_edit_distance()
    {
        string[] known = ["Qwen/Qwen3-32B", "Qwen/Qwen3-8B", "Qwen/Qwen2.5-32B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"];
        // "32b" and "qwen3" are rarer than "instruct", so Qwen3-32B outranks Qwen2.5-32B-Instruct, which is nearer by edits.
        Assert.Equal(["Qwen/Qwen3-32B", "Qwen/Qwen2.5-32B-Instruct"], ClosestIds.To("qwen/qwen3-32b-instruct", known, 2));
        Assert.Equal(1, ClosestIds.EditDistance("h100-sx", "h100-sxm"));
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
        var error = Assert.Throws<InputException>(() => DTypes.Parse("int3", "--dtype"));
        Assert.Contains("--dtype", error.Message);
        Assert.Contains("int4 (W4A16)", error.Message);
    }

    [Theory]
    [InlineData("int8", DType.Int8, 1.0)]
    [InlineData("W8A8", DType.Int8, 1.0)]
    [InlineData("int4", DType.Int4, 0.515625)]
    [InlineData("w4a16", DType.Int4, 0.515625)]
    public void Integer_formats_parse_by_name_and_scheme_and_int4_counts_its_group_scales(string spelling, DType expected, double bytes)
    {
        Assert.Equal(expected, DTypes.Parse(spelling, "--dtype"));
        Assert.Equal(bytes, expected.Bytes());
        Assert.Equal(expected, DTypes.Parse(expected.Name()));
    }

    [Fact]
    public void Int8_runs_at_about_twice_bf16_s_rate_and_int4_at_bf16_s_on_every_gpu()
    {
        foreach (var gpu in GpuCatalog.All.Values)
        {
            Assert.InRange(gpu.PeakFlops(DType.Int8) / gpu.Bf16Flops, 1.99, 2.01);
            Assert.Equal(gpu.Bf16Flops, gpu.PeakFlops(DType.Int4));
        }
        Assert.Equal(624e12, GpuCatalog.A100_80G.PeakFlops(DType.Int8));
        Assert.Equal(1979e12, GpuCatalog.H100Sxm.PeakFlops(DType.Int8));
    }

    [Theory]
    [InlineData("RedHatAI/DeepSeek-R1-Distill-Llama-8B-quantized.w8a8", DType.Int8)]
    [InlineData("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", DType.Int4)]
    [InlineData("hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4", DType.Int4)]
    [InlineData("Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4", DType.Int4)]
    [InlineData("Qwen/Qwen3-32B-AWQ", DType.Int4)]
    public void Integer_checkpoints_resolve_to_their_model_s_shapes_in_their_format(string id, DType weights)
    {
        var model = ModelCatalog.Get(id);
        Assert.Equal(weights, model.CheckpointDtype);
        Assert.Null(model.CheckpointKvDtype);
        Assert.Equal(ModelCatalog.Get(model.AliasOf!).Layers, model.Layers);
        // A quantized checkpoint runs in its own format only.
        var error = Assert.Throws<InputException>(() => DTypes.ForCheckpoint(model, DType.Bf16));
        Assert.Contains(weights.Name(), error.Message);
    }

    [Theory]
    [InlineData("fp16", DType.Bf16)]
    [InlineData("float16", DType.Bf16)]
    [InlineData("half", DType.Bf16)]
    [InlineData("fp8_e4m3", DType.Fp8)]
    [InlineData("fp8_e5m2", DType.Fp8)]
    [InlineData("float8_e4m3fn", DType.Fp8)]
    public void Engine_spellings_of_a_format_parse_to_the_format_they_cost_as(string spelling, DType expected) =>
        Assert.Equal(expected, DTypes.Parse(spelling, "--kv-cache-dtype"));

    [Fact]
    public void Auto_or_empty_means_the_default_format_and_anything_else_must_be_known()
    {
        Assert.Null(DTypes.ParseOrAuto("auto", "--dtype"));
        Assert.Null(DTypes.ParseOrAuto(" AUTO ", "--dtype"));
        Assert.Null(DTypes.ParseOrAuto(null, "--dtype"));
        Assert.Equal(DType.Fp8, DTypes.ParseOrAuto("fp8", "--dtype"));
        var error = Assert.Throws<InputException>(() => DTypes.ParseOrAuto("int2", "Worker:KvCacheDtype"));
        Assert.Contains("Worker:KvCacheDtype", error.Message);
    }

    [Fact]
    public void A100_has_no_fp8_tensor_cores()
    {
        Assert.Equal(GpuCatalog.A100_80G.Bf16Flops, GpuCatalog.A100_80G.PeakFlops(DType.Fp8));
        Assert.Equal(1979e12, GpuCatalog.H100Sxm.PeakFlops(DType.Fp8));
    }

    [Theory]
    [InlineData("gpt-oss-120b", "openai/gpt-oss-120b")]
    [InlineData("DeepSeek-R1", "deepseek-ai/DeepSeek-R1")]
    [InlineData("llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct")]
    [InlineData("Qwen3-235B-A22B-FP8", "Qwen/Qwen3-235B-A22B-FP8")]
    [InlineData("Meta-Llama-3.1-8B-Instruct-FP8", "neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8")]
    public void A_name_without_its_organisation_finds_the_checkpoint_of_that_name_its_publishers_where_several_share_it(string name, string id) =>
        Assert.Equal(id, ModelCatalog.Get(name).Id, ignoreCase: true);

    [Fact]
    public void A_name_without_its_organisation_that_matches_no_checkpoint_still_names_the_closest_ids()
    {
        var error = Assert.Throws<InputException>(() => ModelCatalog.Get("Llama-9-70B"));
        Assert.Contains("Unknown model 'Llama-9-70B' for --model", error.Message);
    }
}
