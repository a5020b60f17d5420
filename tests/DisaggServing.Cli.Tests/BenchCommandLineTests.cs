using System.Text.Json;

namespace DisaggServing.Cli.Tests;

public class BenchCommandLineTests
{
    private const string Engine = "--model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --max-concurrency 2 --json";

    private static string Workload(string args)
    {
        var prompts = args.Contains("--num-prompt", StringComparison.Ordinal) ? "" : " --num-prompts 4";
        var run = CliRun.Of(null, CliRun.Args($"estimate {Engine}{prompts} {args}"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("workload").GetString()!;
    }

    [Fact]
    public void A_bench_command_lines_random_dataset_runs_as_written_with_its_clients_ranges()
    {
        // vllm bench serve's spelling and range under vllm; SGLang's (abbreviated as its scripts write it) under sglang.
        Assert.Equal("uniform:204-1844:25-231", Workload("--engine vllm --dataset-name random --random-input-len 1024 --random-output-len 128 --random-range-ratio 0.8"));
        Assert.Equal("uniform:819-1024:102-128", Workload("--engine sglang --dataset-name random --random-input 1024 --random-output 128 --random-range-ratio 0.8 --num-prompt 4"));
        // InferenceMAX's client under another engine: the client named.
        Assert.Equal("uniform:819-1024:102-128", Workload("--engine trtllm --isl 1024 --osl 128 --random-range-ratio 0.8 --range-ratio-client sglang"));
        // Without a ratio the lengths stay fixed; --dataset-name sharegpt is ShareGPT's own mix.
        Assert.Equal("fixed:1024:128", Workload("--engine sglang --dataset-name random --isl 1024 --osl 128"));
        Assert.Equal("sharegpt", Workload("--dataset-name sharegpt"));
    }

    [Fact]
    public void A_bench_command_lines_backend_names_its_endpoint_and_ignore_eos_is_how_every_estimate_runs()
    {
        double Ttft(string args)
        {
            var run = CliRun.Of(null, CliRun.Args($"estimate {Engine} --num-prompts 4 --isl 512 --osl 64 {args}"));
            Assert.True(run.ExitCode == 0, run.Stderr);
            return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("ttft_mean_ms").GetDouble();
        }

        var completions = Ttft("--endpoint completions");
        Assert.Equal(completions, Ttft("--backend vllm --ignore-eos"));
        Assert.Equal(completions, Ttft("--backend sglang-oai"));
        var chat = Ttft("--endpoint chat");
        Assert.True(chat > completions, $"the chat template's rendering adds to the first token: {chat} ms against {completions}");
        Assert.Equal(chat, Ttft("--backend openai-chat"));
        Assert.Equal(chat, Ttft("--backend sglang-oai-chat"));
    }

    [Theory]
    [InlineData("--engine trtllm --tp 2 --ep 2 --max-num-seqs 8 --max-num-batched-tokens 2048 --gpu-memory-utilization 0.8",
        "--engine trtllm --tp_size 2 --ep_size 2 --max_batch_size 8 --max_num_tokens 2048 --kv_cache_free_gpu_mem_fraction 0.8")]
    [InlineData("--engine sglang --tp 2 --max-num-batched-tokens 4096 --gpu-memory-utilization 0.85",
        "--engine sglang --tp-size 2 --chunked-prefill-size 4096 --mem-fraction-static 0.85")]
    public void An_engines_own_spelling_of_its_launch_flags_estimates_the_same_as_ours(string ours, string theirs)
    {
        string Run(string flags)
        {
            var run = CliRun.Of(null, CliRun.Args($"estimate --model Qwen/Qwen3-30B-A3B --gpu h100-sxm --max-concurrency 4 --num-prompts 8 --isl 512 --osl 64 --json {flags}"));
            Assert.True(run.ExitCode == 0, run.Stderr);
            var root = JsonDocument.Parse(run.Stdout).RootElement;
            return string.Join(" ", new[] { "kv_cache_tokens", "max_running_requests", "ttft_mean_ms", "itl_mean_ms", "output_tokens_per_s" }.Select(k => root.GetProperty(k).GetRawText()));
        }

        Assert.Equal(Run(ours), Run(theirs));
    }

    [Theory]
    [InlineData("--isl 100 --osl 100 --backend tgi-grpc", "a client's --backend")]
    [InlineData("--isl 100 --osl 100 --random-range-ratio 1", "0 ≤ R < 1")]
    [InlineData("--isl 100 --osl 100 --range-ratio-client sglang", "give --random-range-ratio R with it")]
    [InlineData("--workload uniform:1-10:1-10 --random-range-ratio 0.5", "already gives the lengths")]
    [InlineData("--random-range-ratio 0.5", "give --isl N and --osl N")]
    [InlineData("--dataset-name sharegpt --isl 100 --osl 100", "leave out --isl, --osl")]
    [InlineData("--dataset-name sonnet --isl 100 --osl 100", "use random (with --isl and --osl) or sharegpt")]
    [InlineData("--isl 100 --osl 100 --random-range-ratio half", "not a number from 0 to 1")]
    public void Contradictory_or_unknown_bench_flags_exit_2_naming_the_flag_and_the_fix(string args, string fix)
    {
        var run = CliRun.Of(null, CliRun.Args($"estimate {Engine} {args}"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(fix, run.Stderr);
        Assert.Empty(run.Stdout);
    }
}
