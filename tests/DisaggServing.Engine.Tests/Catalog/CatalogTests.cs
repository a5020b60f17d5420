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
    public void Geometry_reproduces_the_published_parameter_counts(string id)
    {
        var model = ModelCatalog.Get(id);
        Assert.InRange(model.TotalParams / model.PublishedParams, 0.98, 1.02);
        Assert.InRange(model.ActiveParams / model.PublishedActiveParams, 0.95, 1.06);
    }

    [Theory]
    [InlineData("openai/gpt-oss-120b")]
    [InlineData("openai/gpt-oss-20b")]
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
    [InlineData("zai-org/GLM-4.5-Air-FP8", "zai-org/GLM-4.5-Air", DType.Fp8)]
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
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(ModelCatalog.DeepSeekV3, null));
        Assert.Equal(DType.Mxfp4, DTypes.ForCheckpoint(ModelCatalog.GptOss120B, null));
        // A BF16 checkpoint runs as given or quantized on load.
        Assert.Equal(DType.Bf16, DTypes.ForCheckpoint(ModelCatalog.Llama33_70B, null));
        Assert.Equal(DType.Fp8, DTypes.ForCheckpoint(ModelCatalog.Llama33_70B, DType.Fp8));
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
        var model = Assert.Throws<InputException>(() => ModelCatalog.Get("acme/Unreleased-7B"));
        Assert.Contains("acme/Unreleased-7B", model.Message);
        Assert.Contains("zai-org/GLM-5-FP8", model.Message);
        Assert.Contains("Aliases", model.Message);
        Assert.Contains("nvidia/Llama-3.3-70B-Instruct-FP8", model.Message);
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
