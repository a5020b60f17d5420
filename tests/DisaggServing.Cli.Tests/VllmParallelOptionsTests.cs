using System.Text.Json;

namespace DisaggServing.Cli.Tests;

public class VllmParallelOptionsTests
{
    private const string Run = "estimate --model deepseek-ai/DeepSeek-R1-0528 --gpu h200 --isl 1000 --osl 100 --concurrency 16 --requests 32 --json";

    private static string Estimate(string flags)
    {
        var run = CliRun.Of(null, CliRun.Args($"{Run} {flags}"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        return string.Join(" ", new[] { "tp", "kv_cache_tokens", "max_running_requests", "ttft_mean_ms", "itl_mean_ms", "output_tokens_per_s" }.Select(k => root.GetProperty(k).GetRawText()));
    }

    [Theory]
    [InlineData("--tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel", "--tp 8 --ep 8 --attention-dp")]
    [InlineData("--tensor-parallel-size 8 --enable-expert-parallel", "--tp 8 --ep 8")]
    [InlineData("--tensor-parallel-size 1 --data-parallel-size 8", "--tp 8 --attention-dp")]
    [InlineData("--tp 8 --ep 8 --enable-expert-parallel", "--tp 8 --ep 8")]
    public void A_vllm_serve_lines_parallel_layout_estimates_as_the_same_layout_in_our_flags(string vllm, string ours)
    {
        Assert.Equal(Estimate(ours), Estimate(vllm));
    }

    [Theory]
    [InlineData("--tp 2 --data-parallel-size 4", "give --tensor-parallel-size 1 --data-parallel-size 8")]
    [InlineData("--tp 8 --ep 4 --enable-expert-parallel", "--ep 4 says otherwise")]
    [InlineData("--tp 8 --engine sglang --enable-expert-parallel", "is vLLM's; for sglang give the layout as --tp N with --ep N")]
    public void A_layout_vllm_flags_cannot_give_exits_2_naming_the_fix(string flags, string fix)
    {
        var run = CliRun.Of(null, CliRun.Args($"{Run} {flags}"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(fix, run.Stderr);
    }

    [Fact]
    public void Data_parallelism_of_a_dense_model_is_refused_as_the_separate_replicas_vllm_runs()
    {
        var run = CliRun.Of(null, CliRun.Args("estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100 --isl 10 --osl 10 --concurrency 1 --tp 1 --data-parallel-size 2"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is dense, and vLLM runs its data parallelism as separate replicas", run.Stderr);
    }
}
