using System.Text.Json;

namespace DisaggServing.Cli.Tests;

/// <summary>The real verbs against the real engine, in-process, at small sizes.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CliEndToEndTests : IDisposable
{
    private const string Model = $"--model {Samples.Model} --gpu {Samples.Gpu}";

    private readonly string trace = Path.Combine(Path.GetTempPath(), $"disagg-e2e-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(trace);

    [Fact]
    public void Estimate_closed_loop_reports_positive_medians_and_throughput()
    {
        var json = Json($"estimate {Model} --tp 1 --dtype fp8 --isl 128 --osl 64 --concurrency 4 --requests 50 --json");
        Assert.True(json.GetProperty("fits").GetBoolean());
        AssertPositive(json, "weights_gib_per_gpu", "kv_cache_tokens", "ttft_ms", "itl_ms", "tpot_ms", "e2e_ms",
            "output_tokens_per_s", "requests_per_s", "simulated_seconds");
        Assert.Equal(4, json.GetProperty("concurrency").GetInt32());
    }

    [Fact]
    public void Estimate_offline_prints_a_table()
    {
        var run = CliRun.Of(null, CliRun.Args($"estimate {Model} --tp 1 --isl 128 --osl 64 --offline --requests 50"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("TTFT p50 (ms)", run.Stdout);
        Assert.Contains("offline", run.Stdout);
    }

    [Fact]
    public void Estimate_of_a_model_too_big_for_one_gpu_exits_1_with_json()
    {
        var run = CliRun.Of(null, CliRun.Args(
            "estimate --model meta-llama/Llama-3.1-405B-Instruct --gpu h100-sxm --tp 1 --isl 128 --osl 64 --concurrency 4 --json"));
        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
        Assert.StartsWith("error: ", run.Stderr);
    }

    [Fact]
    public void Simulate_disaggregated_reports_positive_percentiles()
    {
        var json = Json($"simulate {Model} --prefill 1:1 --decode 1:1 --workload fixed:256:32 --rate 5 --requests 50 --json");
        Assert.Equal(50, json.GetProperty("requests").GetInt32());
        AssertPositive(json, "completed", "output_tokens_per_s", "requests_per_s", "simulated_seconds");
        foreach (var metric in new[] { "ttft_ms", "tpot_ms", "itl_ms", "e2e_ms" })
        {
            AssertPositive(json.GetProperty(metric), "count", "p50", "p90", "p99");
        }
    }

    [Fact]
    public void Simulate_colocated_sharegpt_measures_slo_attainment()
    {
        var json = Json($"simulate {Model} --colocated 2:1 --workload sharegpt --rate 4 --requests 50 --slo-ttft-ms 2000 --slo-tpot-ms 200 --json");
        var attainment = json.GetProperty("slo_attainment").GetDouble();
        Assert.InRange(attainment, 0, 1);
        AssertPositive(json, "completed", "simulated_seconds");
        Assert.Equal(2000, json.GetProperty("slo").GetProperty("ttft_ms").GetDouble());
    }

    [Fact]
    public void Simulate_replays_a_trace()
    {
        File.WriteAllLines(trace, Enumerable.Range(0, 20).Select(i =>
            $$"""{"arrival_s": {{i * 0.1:0.0}}, "input_tokens": 200, "output_tokens": 20}"""));
        var json = Json($"simulate {Model} --colocated 1:1 --workload trace:{trace} --json");
        Assert.Equal(20, json.GetProperty("requests").GetInt32());
        AssertPositive(json, "completed", "simulated_seconds");
    }

    [Fact]
    public void Simulate_finds_a_positive_goodput()
    {
        var json = Json($"simulate {Model} --colocated 1:1 --workload fixed:256:32 --requests 50 --slo-ttft-ms 1000 --slo-tpot-ms 100 --find-goodput --json");
        AssertPositive(json, "goodput_rps", "completed");
    }

    [Fact]
    public void Simulate_prints_a_table()
    {
        var run = CliRun.Of(null, CliRun.Args($"simulate {Model} --prefill 1:1 --decode 1:1 --workload fixed:256:32 --rate 5 --requests 50"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("p99", run.Stdout);
        Assert.Contains("goodput (req/s)", run.Stdout);
    }

    private static JsonElement Json(string commandLine)
    {
        var run = CliRun.Of(null, CliRun.Args(commandLine));
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    private static void AssertPositive(JsonElement json, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(json.TryGetProperty(name, out var value), $"missing {name}");
            Assert.True(value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0, $"{name} = {value}");
        }
    }
}
