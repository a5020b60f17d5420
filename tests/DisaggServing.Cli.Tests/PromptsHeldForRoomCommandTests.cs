using System.Text.Json;

namespace DisaggServing.Cli.Tests;

public class PromptsHeldForRoomCommandTests
{
    // 8,192-token prompts fill TensorRT-LLM's whole default step, so beside any running decode they wait.
    private const string Load = "--model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --isl 8192 --osl 32 --concurrency 4 --requests 12 --json";

    [Fact]
    public void An_estimate_whose_whole_prompts_waited_for_running_requests_counts_them_and_says_how_to_avoid_it()
    {
        var run = CliRun.Of(null, CliRun.Args($"estimate {Load} --engine trtllm"));
        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("prompts_held_for_room").GetInt64() > 0);
        Assert.Contains("requests waited for running ones to finish before their prompt ran", run.Stderr);
        Assert.Contains("--chunked-prefill on", run.Stderr);

        // Chunked prefill (vLLM's way, or asked of TensorRT-LLM) splits the prompt instead: nobody waits, no note.
        foreach (var chunked in new[] { "--engine vllm", "--engine trtllm --chunked-prefill on" })
        {
            var split = CliRun.Of(null, CliRun.Args($"estimate {Load} {chunked}"));
            Assert.Equal(0, split.ExitCode);
            Assert.Equal(0, JsonDocument.Parse(split.Stdout).RootElement.GetProperty("prompts_held_for_room").GetInt64());
            Assert.DoesNotContain("waited for running ones", split.Stderr);
        }
    }

    [Fact]
    public void A_simulation_reports_the_requests_whose_whole_prompts_waited()
    {
        var run = CliRun.Of(null, CliRun.Args("simulate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --colocated 1:1 --engine trtllm --workload fixed:8192:64 --rate 20 --requests 30 --json"));
        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("prompts_held_for_room").GetInt64() > 0);
        // Chunked prefill splits those prompts instead; the field is left out when nobody waited.
        var chunked = CliRun.Of(null, CliRun.Args("simulate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --colocated 1:1 --engine vllm --workload fixed:8192:64 --rate 20 --requests 30 --json"));
        Assert.Equal(0, chunked.ExitCode);
        Assert.False(JsonDocument.Parse(chunked.Stdout).RootElement.TryGetProperty("prompts_held_for_room", out _));
    }
}
