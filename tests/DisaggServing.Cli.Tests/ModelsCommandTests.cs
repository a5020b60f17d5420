using System.Text.Json;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Tests;

public class ModelsCommandTests
{
    [Fact]
    public void Models_lists_every_catalogued_id_and_alias_with_its_parameters_and_the_gpu_aliases()
    {
        var run = CliRun.Of(new FakeEngineRunner(), "models");
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var id in ModelCatalog.All.Keys.Concat(ModelCatalog.Aliases.Keys))
            Assert.Contains(id, run.Stdout);
        Assert.Contains($"Models: {ModelCatalog.All.Count} catalogued, {ModelCatalog.Aliases.Count} aliases", run.Stdout);
        Assert.Contains("nvidia-h100-80gb-hbm3", run.Stdout);
        Assert.Contains("MLA+DSA", run.Stdout);
        // NIM's names, each beside the Hugging Face id it resolves to.
        Assert.Contains(run.Stdout.Split('\n'), line => line.StartsWith("meta/llama3-70b-instruct", StringComparison.Ordinal) && line.TrimEnd().EndsWith("meta-llama/Meta-Llama-3-70B-Instruct", StringComparison.Ordinal));
    }

    [Fact]
    public void Models_shows_the_geometry_a_config_json_is_read_as()
    {
        using var checkpoint = new TempCheckpoint("""
            {"hidden_size": 2048, "intermediate_size": 6144, "model_type": "qwen3_moe", "moe_intermediate_size": 768,
             "num_attention_heads": 32, "num_experts": 128, "num_experts_per_tok": 8, "num_hidden_layers": 48,
             "num_key_value_heads": 4, "head_dim": 128, "vocab_size": 151936, "max_position_embeddings": 40960,
             "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}
            """);
        var text = CliRun.Of(new FakeEngineRunner(), "models", "--model", checkpoint.Directory);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches($@"id\s+{System.Text.RegularExpressions.Regex.Escape(checkpoint.Directory)}", text.Stdout);
        Assert.Matches(@"experts\s+128 routed \(top 8\) \+ 0 shared, width 768, 0 layers without experts", text.Stdout);
        Assert.Matches(@"weights\s+fp8", text.Stdout);

        var json = JsonDocument.Parse(CliRun.Of(new FakeEngineRunner(), "models", "--model", checkpoint.Directory, "--json").Stdout).RootElement;
        Assert.Equal(48, json.GetProperty("layers").GetInt32());
        Assert.Equal(ModelCatalog.Qwen3_30B_A3B.TotalParams, json.GetProperty("total_params").GetDouble());
    }

    [Fact]
    public void Models_shows_a_nas_model_s_layers_that_keep_attention_by_its_nim_name()
    {
        var run = CliRun.Of(new FakeEngineRunner(), "models", "--model", "nvidia/llama-3.3-nemotron-super-49b-v1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"id\s+nvidia/Llama-3_3-Nemotron-Super-49B-v1\b", run.Stdout);
        Assert.Matches(@"nas\s+49/80 layers with attention, 80 MLPs of 1,642,496 summed width \(widest 28,672\)", run.Stdout);
        // 49 attention layers of 8 KV heads × 128 × 2 (K and V) × 2 bytes.
        Assert.Matches(@"kv_bytes_per_token_bf16\s+200,704", run.Stdout);
    }

    [Fact]
    public void Models_json_resolves_each_alias_to_its_catalogued_model_and_format()
    {
        var run = CliRun.Of(new FakeEngineRunner(), "models", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        var models = json.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(ModelCatalog.All.Count + ModelCatalog.Aliases.Count, models.Count);
        var qwq = models["Qwen/QwQ-32B"];
        Assert.Equal("Qwen/Qwen2.5-32B-Instruct", qwq.GetProperty("alias_of").GetString());
        Assert.Equal(40960, qwq.GetProperty("max_context").GetInt32());
        Assert.Equal("fp8", models["moonshotai/Kimi-K2-Instruct"].GetProperty("weights").GetString());
        Assert.InRange(models["moonshotai/Kimi-K2-Instruct"].GetProperty("total_params").GetDouble(), 1.0e12, 1.05e12);
        var h200 = json.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "h200-sxm");
        Assert.Contains("nvidia-h200", h200.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var nim = json.GetProperty("nim_names").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("id").GetString()!);
        Assert.Equal(ModelCatalog.NimModelNames.Count, nim.Count);
        Assert.Equal("mistralai/Mixtral-8x7B-Instruct-v0.1", nim["mistralai/mixtral-8x7b-instruct-v01"]);
        Assert.All(nim.Values, id => Assert.Contains(id, models.Keys));
    }
}
