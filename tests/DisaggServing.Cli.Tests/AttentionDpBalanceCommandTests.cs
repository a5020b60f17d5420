using System.Text.Json;

namespace DisaggServing.Cli.Tests;

public class AttentionDpBalanceCommandTests
{
    // InferenceMAX's DeepSeek-R1 run with attention DP on 8 × H200: 8k prompts, 64 clients.
    private const string DeepSeekDep8 =
        "estimate --model deepseek-ai/DeepSeek-R1-0528 --gpu h200-sxm --tp 8 --engine trtllm --kv-cache-dtype fp8 --ep 8 --attention-dp "
        + "--max-num-seqs 16384 --max-num-batched-tokens 66560 --gpu-memory-utilization 0.75 --workload uniform:6553-8192:819-1024 "
        + "--concurrency 64 --requests 640 --measure all --json";

    private static (double Ttft, double Itl) Run(string args)
    {
        var run = CliRun.Of(null, CliRun.Args(args));
        Assert.True(run.ExitCode == 0, run.ToString());
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        return (root.GetProperty("ttft_mean_ms").GetDouble(), root.GetProperty("itl_mean_ms").GetDouble());
    }

    [Fact]
    public void Balanced_attention_dp_holds_prompts_for_every_rank_trading_ttft_for_fewer_decode_stalls()
    {
        var plain = Run(DeepSeekDep8);
        var balanced = Run(DeepSeekDep8 + " --attention-dp-balance 60");
        // Held prompts wait (up to 60 steps) and then prefill on the ranks together, so decodes stall less often.
        Assert.True(balanced.Ttft > 1.3 * plain.Ttft, $"TTFT {balanced.Ttft:F0} ms balanced against {plain.Ttft:F0} ms");
        Assert.True(balanced.Itl < 0.9 * plain.Itl, $"ITL {balanced.Itl:F1} ms balanced against {plain.Itl:F1} ms");
    }

    [Theory]
    [InlineData("--engine trtllm --attention-dp-balance 60", "--attention-dp")]
    [InlineData("--engine vllm --attention-dp --attention-dp-balance 60", "trtllm")]
    [InlineData("--engine trtllm --attention-dp --attention-dp-balance 0", "--attention-dp-balance")]
    public void Balance_needs_tensorrt_llm_with_attention_dp_and_a_positive_timeout(string flags, string named)
    {
        var run = CliRun.Of(null, CliRun.Args(
            $"estimate --model deepseek-ai/DeepSeek-R1-0528 --gpu h200-sxm --tp 8 --ep 8 {flags} --isl 1000 --osl 100 --concurrency 8 --requests 16"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr);
    }
}
