using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Catalog;

public class NasConfigTests
{
    // The block_configs of the two NAS checkpoints, layer by layer in runs: "KV/FFN_MULT×N", KV the layer's KV heads or "-"
    // for a dropped attention (no_op), FFN_MULT its ffn_mult or "-" for a dropped MLP (read from their config.json).
    private const string SuperBlocks = "8/2.625 8/5.25x5 -/2.625x2 8/5.25x3 -/3.28125 8/5.25x30 -/1.3125 -/2.625x2 -/1.3125 -/5.25 -/1.3125 -/2.625 "
        + "-/1.3125x3 8/5.25 -/1.3125 -/1.0x2 -/1.3125 -/1.0x3 -/1.3125x2 -/0.5x2 -/1.0x2 -/0.5x2 -/1.0 -/0.5x2 8/5.25x9";

    private const string UltraBlocks = "8/0.4875 8/0.975 8/1.4625x6 8/1.95 -/-x4 8/1.95x3 8/4.875x2 -/-x6 8/4.875x3 -/-x5 8/4.875x3 8/2.4375 -/-x3 "
        + "8/1.95x3 -/1.95 8/4.875 -/4.875 -/-x5 8/4.875x4 -/-x5 8/4.875x4 -/-x5 8/4.875x4 -/-x5 8/4.875x4 -/-x5 8/4.875 8/3.4125x3 -/-x2 "
        + "8/2.925 8/2.4375x3 -/2.4375x2 8/2.4375 -/- -/2.4375x7 8/2.4375 -/-x5 8/2.925 8/4.875 -/4.875 8/4.875 -/-x8 -/36.5625 -/-x8 "
        + "-/39.0 -/-x8 -/31.40625 -/-x5 -/27.5625 -/1.95 8/1.95 8/2.4375 -/- 8/2.4375x2 8/3.4125 8/4.875x4 8/2.4375";

    // A nemotron-nas config.json (DeciLMForCausalLM) with those blocks; its top-level KV heads and width are null, as theirs are.
    internal static string Config(string runs, int hidden, int heads, int layers = -1, Func<string, string>? block = null)
    {
        var blocks = new List<string>();
        foreach (var run in runs.Split(' '))
        {
            var parts = run.Split('x');
            var (kv, mult) = (parts[0].Split('/')[0], parts[0].Split('/')[1]);
            var attention = kv == "-" ? """{"n_heads_in_group": null, "no_op": true, "replace_with_linear": false}"""
                : $$"""{"n_heads_in_group": {{heads / int.Parse(kv)}}, "no_op": false, "replace_with_linear": false, "window_length": null, "num_sink_tokens": null, "sparsify": null}""";
            var ffn = mult == "-" ? """{"ffn_mult": null, "no_op": true, "replace_with_linear": false}"""
                : $$"""{"ffn_mult": {{mult}}, "no_op": false, "replace_with_linear": false, "sparsify": null}""";
            var entry = $$"""{"attention": {{attention}}, "ffn": {{ffn}}}""";
            blocks.AddRange(Enumerable.Repeat(block?.Invoke(entry) ?? entry, parts.Length > 1 ? int.Parse(parts[1]) : 1));
        }
        return $$"""
            {"architectures": ["DeciLMForCausalLM"], "auto_map": {"AutoConfig": "configuration_decilm.DeciLMConfig"}, "block_configs": [{{string.Join(", ", blocks)}}], "hidden_act": "silu",
             "hidden_size": {{hidden}}, "intermediate_size": null, "max_position_embeddings": 131072, "model_type": "nemotron-nas",
             "num_attention_heads": {{heads}}, "num_hidden_layers": {{(layers < 0 ? blocks.Count : layers)}}, "num_key_value_heads": null,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
            """;
    }

    internal static string SuperConfig => Config(SuperBlocks, 8192, 64);

    public static TheoryData<string, string> NasConfigs() => new()
    {
        { SuperConfig, "nvidia/Llama-3_3-Nemotron-Super-49B-v1" },
        { Config(UltraBlocks, 16384, 128), "nvidia/Llama-3_1-Nemotron-Ultra-253B-v1" },
    };

    [Theory]
    [MemberData(nameof(NasConfigs))]
    public void A_nas_config_json_gives_the_layout_the_catalogue_gives_its_model(string config, string catalogued)
    {
        var expected = ModelCatalog.Get(catalogued);
        var loaded = HfModelConfig.Parse(config, "local/nas");

        Assert.Equal(expected, loaded with { Id = expected.Id, PublishedParams = expected.PublishedParams, PublishedActiveParams = expected.PublishedActiveParams });
        // The cards' counts: 49B and 253B.
        Assert.Equal(expected.PublishedParams, loaded.TotalParams, expected.PublishedParams * 0.01);
    }

    [Fact]
    public void Only_the_layers_that_keep_attention_hold_a_kv_cache()
    {
        var super = ModelCatalog.NemotronSuper49B;
        var ultra = ModelCatalog.NemotronUltra253B;

        // 2 × 8 KV heads × 128 × 2 bytes = 4,096 bytes a layer, in 49 of Super's 80 layers and 64 of Ultra's 162.
        Assert.Equal(49 * 4096, super.KvBytesPerToken(DType.Bf16));
        Assert.Equal(64 * 4096, ultra.KvBytesPerToken(DType.Bf16));
    }

    [Fact]
    public void Decilm_sizes_an_mlp_at_two_thirds_of_its_multiple_rounded_up_to_256()
    {
        Assert.Equal(28672, NasLayout.MlpWidth(5.25, 8192));
        Assert.Equal(2816, NasLayout.MlpWidth(0.5, 8192));
        Assert.Equal(5376, NasLayout.MlpWidth(0.4875, 16384));
        Assert.Equal(425984, NasLayout.MlpWidth(39.0, 16384));
    }

    [Theory]
    [InlineData("\"no_op\": false, \"replace_with_linear\": false", "\"no_op\": false, \"replace_with_linear\": true", "replace_with_linear")]
    [InlineData("\"window_length\": null", "\"window_length\": 4096", "windowed, sink or sparsified attention")]
    [InlineData("{\"attention\"", "{\"mamba\": {}, \"attention\"", "sub-blocks other than attention and ffn")]
    public void A_block_the_model_cannot_represent_is_refused_naming_the_layer(string replace, string with, string message)
    {
        var config = Config("8/5.25 -/1.0", 8192, 64, block: b => b.Replace(replace, with, StringComparison.Ordinal));

        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(config, "local/nas", where: "--model x/config.json"));

        Assert.Contains("--model x/config.json: block_configs[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_whose_kv_heads_differ_are_refused()
    {
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(Config("8/5.25 4/5.25", 8192, 64), "local/nas", where: "--model x/config.json"));
        Assert.Contains("block_configs[1].attention: 4 KV heads where earlier layers have 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_list_that_does_not_match_the_layer_count_is_refused()
    {
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(Config("8/5.25x3", 8192, 64, layers: 4), "local/nas", where: "--model x/config.json"));
        Assert.Contains("'block_configs' has 3 entries for 4 layers", error.Message, StringComparison.Ordinal);
    }
}
