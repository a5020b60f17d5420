using System.Text.Json;

namespace DisaggServing.Cli.Tests;

/// <summary><c>disagg estimate</c> on models of each family the catalog gained, against the real engine at small sizes.</summary>
[Trait("Category", "EndToEnd")]
public class CatalogModelEstimateTests
{
    [Theory]
    [InlineData("meta-llama/Llama-2-70b-chat-hf", "h100-sxm", 4)]
    [InlineData("mistralai/Mistral-7B-Instruct-v0.1", "h100-sxm", 1)]
    [InlineData("mistralai/Mixtral-8x22B-Instruct-v0.1", "h100-sxm", 8)]
    [InlineData("Qwen/Qwen2.5-72B-Instruct", "h200-sxm", 4)]
    [InlineData("meta-llama/Llama-3.2-1B-Instruct", "h100-sxm", 1)]
    [InlineData("zai-org/GLM-4.5-Air", "h200-sxm", 4)]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "h100-sxm", 2)]
    [InlineData("google/gemma-3-27b-it", "h100", 1)]
    [InlineData("microsoft/phi-4", "a100", 1)]
    [InlineData("mistralai/Mistral-Large-Instruct-2411", "h200", 4)]
    [InlineData("MiniMaxAI/MiniMax-M2", "h100-sxm", 4)]
    [InlineData("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8", "h200-sxm", 8)]
    [InlineData("moonshotai/Kimi-K2-Instruct", "b200", 8)]
    [InlineData("deepseek-ai/DeepSeek-V3.2-Exp", "h200-sxm", 8)]
    [InlineData("tiiuae/falcon-7b-instruct", "a100", 1)]
    [InlineData("codellama/CodeLlama-34b-Instruct-hf", "h100-sxm", 2)]
    [InlineData("Qwen/Qwen2.5-1.5B-Instruct", "h100-sxm", 1)]
    [InlineData("ibm-granite/granite-3.1-8b-instruct", "h100-sxm", 1)]
    public void Estimate_runs_on_a_newly_catalogued_model_and_reports_positive_throughput(string model, string gpu, int tp)
    {
        var run = CliRun.Of(null, CliRun.Args(
            $"estimate --model {model} --gpu {gpu} --tp {tp} --isl 256 --osl 64 --concurrency 4 --requests 16 --json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.True(json.GetProperty("fits").GetBoolean());
        Assert.True(json.GetProperty("output_tokens_per_s").GetDouble() > 0);
        Assert.True(json.GetProperty("ttft_ms").GetDouble() > 0);
    }
}
