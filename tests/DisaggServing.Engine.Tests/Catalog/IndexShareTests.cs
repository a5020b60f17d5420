using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Catalog;

// GLM-5.2's IndexShare: 21 of its 78 layers run the DSA indexer, the others reuse the last one's top-k.
public class IndexShareTests
{
    // GLM-5.2-FP8's config.json as far as the geometry reads it (its indexer_types left out: the schedule is given).
    private const string Glm52 = """
        {"architectures": ["GlmMoeDsaForCausalLM"], "first_k_dense_replace": 3, "hidden_size": 6144, "intermediate_size": 12288,
         "index_head_dim": 128, "index_n_heads": 32, "index_skip_topk_offset": 3, "index_topk": 2048, "index_topk_freq": 4,
         "kv_lora_rank": 512, "max_position_embeddings": 1048576, "model_type": "glm_moe_dsa", "moe_intermediate_size": 2048,
         "n_group": 1, "n_routed_experts": 256, "n_shared_experts": 1, "num_attention_heads": 64, "num_experts_per_tok": 8,
         "num_hidden_layers": 78, "num_key_value_heads": 64, "q_lora_rank": 2048, "qk_nope_head_dim": 192, "qk_rope_head_dim": 64,
         "quantization_config": {"fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128]},
         "scoring_func": "sigmoid", "tie_word_embeddings": false, "topk_group": 1, "topk_method": "noaux_tc", "v_head_dim": 256,
         "vocab_size": 154880}
        """;

    // The schedule vLLM and SGLang derive: layers 0-2 index, then every fourth from layer 6.
    private static readonly string[] Schedule = Enumerable.Range(0, 78)
        .Select(layer => layer < 3 || (layer - 2) % 4 == 0 ? "full" : "shared").ToArray();

    [Fact]
    public void A_glm_5_2_config_json_reads_its_indexshare_schedule_as_the_catalogued_model()
    {
        var loaded = HfModelConfig.Parse(Glm52, "local/glm-5.2");
        var catalogued = ModelCatalog.Get("zai-org/GLM-5.2-FP8");

        Assert.Equal(21, loaded.Mla!.IndexedLayers);
        Assert.Equal(catalogued.Mla, loaded.Mla);
        Assert.Equal(catalogued.TotalParams, loaded.TotalParams, 0);
        Assert.Equal(catalogued.KvBytesPerToken(DType.Fp8), loaded.KvBytesPerToken(DType.Fp8), 9);
        // Each layer named: the same 21.
        var listed = Glm52.Replace("\"index_topk_freq\": 4,", $"\"indexer_types\": [{string.Join(", ", Schedule.Select(s => $"\"{s}\""))}],", StringComparison.Ordinal);
        Assert.Equal(21, HfModelConfig.Parse(listed, "local/listed").Mla!.IndexedLayers);
        // A config with neither field indexes every layer, as GLM-5's: 0, the catalogue's word for all.
        var everyLayer = Glm52.Replace("\"index_topk_freq\": 4,", "", StringComparison.Ordinal);
        Assert.Equal(0, HfModelConfig.Parse(everyLayer, "local/glm-5").Mla!.IndexedLayers);
    }

    [Theory]
    [InlineData("\"index_topk_freq\": 4,", "\"indexer_types\": [\"full\", \"shared\"],", "'indexer_types' must name each of the 78 layers")]
    [InlineData("\"index_topk_freq\": 4,", "\"index_topk_pattern\": \"FSSS\",", "'index_topk_pattern' must give one letter for each of the 78 layers")]
    [InlineData("\"index_topk_freq\": 4,", "\"index_topk_freq\": 0,", "'index_topk_freq' must be at least 1")]
    public void An_indexshare_schedule_the_model_cannot_read_is_refused_naming_the_field(string replace, string with, string message)
    {
        var config = Glm52.Replace(replace, with, StringComparison.Ordinal);
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(config, "local/bad", where: "--model x/config.json"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("--model x/config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_57_sharing_layers_hold_no_indexer_keys_and_no_indexer_weights()
    {
        var glm5 = ModelCatalog.Glm5Fp8;
        var glm52 = ModelCatalog.Get("zai-org/GLM-5.2-FP8");
        var mla = glm5.Mla!;
        // One FP8 indexer key of 128 a token in each of 57 layers fewer.
        Assert.Equal(57 * 128.0, glm5.KvBytesPerToken(DType.Fp8) - glm52.KvBytesPerToken(DType.Fp8), 6);
        var indexer = (double)mla.QLoraRank * mla.IndexerHeads * mla.IndexerHeadDim + (double)glm5.Hidden * (mla.IndexerHeadDim + mla.IndexerHeads);
        Assert.Equal(57 * indexer, glm5.TotalParams - glm52.TotalParams, 0);
        Assert.Equal(57 * indexer / 78, glm5.ReplicatedAttentionParamsPerLayer - glm52.ReplicatedAttentionParamsPerLayer, 3);
    }

    [Fact]
    public void Sharing_the_indexer_shortens_a_long_context_step_by_the_scoring_it_leaves_out_and_sglang_charges_its_fixed_dsa_cost_to_the_indexed_layers()
    {
        static EngineSpec On(string model, EngineProfile engine) =>
            new() { Model = ModelCatalog.Get(model), Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = engine };
        static StepCost Decode(EngineSpec spec, int sequences, int context) =>
            new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Of(sequences, sequences * context, isDecode: true));

        var glm5 = On("zai-org/GLM-5-FP8", EngineProfiles.Vllm);
        var glm52 = On("zai-org/GLM-5.2-FP8", EngineProfiles.Vllm);
        // The same top-2048 attention without any scoring: what both pay beside their indexers.
        var unscored = glm52 with { Model = glm52.Model with { Mla = glm52.Model.Mla! with { IndexerHeads = 0 } } };
        // 64 sequences at 64K: GLM-5 scores every key in 78 layers, GLM-5.2 in 21, so the scoring GLM-5.2 leaves out is
        // 57/21 of what it keeps.
        double Attention(EngineSpec spec) => Decode(spec, 64, 65_536).AttentionComputeSeconds;
        var kept = Attention(glm52) - Attention(unscored);
        Assert.True(kept > 0);
        Assert.Equal(57.0 / 21, (Attention(glm5) - Attention(glm52)) / kept, 6);
        Assert.True(Decode(glm52, 64, 65_536).TotalSeconds < Decode(glm5, 64, 65_536).TotalSeconds);

        var sglang = On("zai-org/GLM-5.2-FP8", EngineProfiles.Sglang);
        var free = sglang with { Engine = EngineProfiles.Sglang with { DsaLayerSeconds = 0 } };
        Assert.Equal(21 * EngineProfiles.SglangDsaLayerSeconds, Decode(sglang, 1, 1024).ElementwiseSeconds - Decode(free, 1, 1024).ElementwiseSeconds, 9);
    }
}
