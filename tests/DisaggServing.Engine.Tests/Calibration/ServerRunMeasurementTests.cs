using System.Globalization;
using DisaggServing.Engine.Calibration;

namespace DisaggServing.Engine.Tests.Calibration;

public class ServerRunMeasurementTests
{
    // What the server had served before the run (a warm-up), and the run itself: 64 requests of 1000→100 tokens.
    private static readonly VllmScrapeText Warm = new()
    {
        Requests = 8, PromptTokens = 1000, GenerationTokens = 100, TtftSeconds = 8 * 0.5, ItlSeconds = 8 * 99 * 0.03, E2eSeconds = 8 * 3.5,
        TimestampMs = 1_764_590_000_000,
    };

    private static readonly VllmScrapeText Run = new()
    {
        Requests = 64, PromptTokens = 1000, GenerationTokens = 100, TtftSeconds = 64 * 0.120, ItlSeconds = 64 * 99 * 0.012, E2eSeconds = 64 * 1.31,
        TimestampMs = 1_764_590_010_500,
    };

    private static PrometheusScrape Scrape(VllmScrapeText text, string name) => PrometheusScrape.Parse(text.Render(), name);

    [Fact]
    public void A_run_between_two_scrapes_is_the_difference_of_their_sums_and_counts()
    {
        var run = ServerRunMeasurement.Measure(Scrape(Warm.Plus(Run), "after.prom"), Scrape(Warm, "before.prom"));

        Assert.Equal(64, run.Requests);
        Assert.Equal(120, run.TtftMeanMs, 6);
        Assert.Equal(12, run.ItlMeanMs, 6);
        Assert.Equal((1000.0, 100.0), (run.InputTokens, run.OutputTokens));
        Assert.Equal(6400, run.GenerationTokens, 6);
        Assert.Equal(64 * 1.31, run.E2eSeconds, 6);
        Assert.Equal(10.5, run.DurationSeconds!.Value, 6);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", run.ModelName);
        Assert.Equal("auto", run.KvCacheDtype);
        Assert.Empty(run.Notes);
    }

    [Fact]
    public void Data_parallel_engines_are_summed_and_a_fresh_server_needs_one_scrape()
    {
        var run = ServerRunMeasurement.Measure(Scrape(Run with { Engines = 4 }, "fresh.prom"));

        Assert.Equal(64, run.Requests);
        Assert.Equal(120, run.TtftMeanMs, 6);
        Assert.Equal(12, run.ItlMeanMs, 6);
        Assert.Null(run.DurationSeconds);
    }

    [Fact]
    public void Older_vllm_gives_its_per_token_gaps_as_time_per_output_token()
    {
        var run = ServerRunMeasurement.Measure(Scrape(Run with { OldItlName = true }, "old.prom"));

        Assert.Equal(12, run.ItlMeanMs, 6);
    }

    [Fact]
    public void Scrapes_in_the_wrong_order_are_refused_saying_so()
    {
        var e = Assert.Throws<InputException>(() => ServerRunMeasurement.Measure(Scrape(Warm, "before.prom"), Scrape(Warm.Plus(Run), "after.prom")));

        Assert.Contains("wrong order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_scrapes_without_a_finished_request_between_them_are_refused()
    {
        var e = Assert.Throws<InputException>(() => ServerRunMeasurement.Measure(Scrape(Warm, "b.prom"), Scrape(Warm, "a.prom")));

        Assert.Contains("no request finished", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_of_two_models_needs_the_one_the_run_used()
    {
        var page = Run.Render() + string.Join('\n', (Run with { Model = "Qwen/Qwen3-8B" }).Render().Split('\n').Where(l => l.StartsWith("vllm:", StringComparison.Ordinal) && !l.StartsWith("vllm:cache_config_info", StringComparison.Ordinal)));
        var scrape = PrometheusScrape.Parse(page, "two.prom");

        var e = Assert.Throws<InputException>(() => ServerRunMeasurement.Measure(scrape));
        Assert.Contains("'Qwen/Qwen3-8B'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--model", e.Message, StringComparison.Ordinal);
        Assert.Equal(64, ServerRunMeasurement.Measure(scrape, model: "Qwen/Qwen3-8B").Requests);
    }

    [Fact]
    public void Prefix_cache_hits_preemptions_and_varied_lengths_are_noted()
    {
        var run = ServerRunMeasurement.Measure(Scrape(Run with { PrefixQueries = 64_000, PrefixHits = 32_000, Preemptions = 3, OtherLengthRequests = 8 }, "mixed.prom"));

        Assert.Contains(run.Notes, n => n.Contains("50%", StringComparison.Ordinal) && n.Contains("prefix cache", StringComparison.Ordinal));
        Assert.Contains(run.Notes, n => n.Contains("3 preemptions", StringComparison.Ordinal));
        Assert.Contains(run.Notes, n => n.StartsWith("prompt lengths span", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Notes, n => n.StartsWith("output lengths", StringComparison.Ordinal));
    }

    [Fact]
    public void A_page_without_vllm_metrics_is_refused_naming_the_file()
    {
        var e = Assert.Throws<InputException>(() => ServerRunMeasurement.Measure(PrometheusScrape.Parse("process_start_time_seconds 1.7e9\n", "node.prom")));

        Assert.StartsWith("node.prom:", e.Message, StringComparison.Ordinal);
        Assert.Contains("no vllm: or sglang: metrics", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sglang_run_is_read_under_sglangs_names_with_lengths_from_its_token_counters()
    {
        var before = PrometheusScrape.Parse(SglangScrapeText.Render(requests: 8, prompt: 8 * 1000, generated: 8 * 100, ttft: 8 * 0.5, itl: 8 * 99 * 0.03, e2e: 8 * 3.5, cached: 0, retracted: 0), "before.prom");
        var after = PrometheusScrape.Parse(SglangScrapeText.Render(requests: 72, prompt: 72 * 1000, generated: 72 * 100, ttft: 8 * 0.5 + 64 * 0.12, itl: 8 * 99 * 0.03 + 64 * 99 * 0.012, e2e: 8 * 3.5 + 64 * 1.31, cached: 32_000, retracted: 2), "after.prom");

        var run = ServerRunMeasurement.Measure(after, before);

        Assert.Equal(("SGLang", 64L, "Qwen/Qwen3-8B"), (run.Server, run.Requests, run.ModelName));
        Assert.Equal(120, run.TtftMeanMs, 6);
        Assert.Equal(12, run.ItlMeanMs, 6);
        Assert.Equal((1000.0, 100.0, 6400.0), (run.InputTokens, run.OutputTokens, run.GenerationTokens));
        Assert.Null(run.KvCacheDtype);
        Assert.Contains(run.Notes, n => n.Contains("50%", StringComparison.Ordinal) && n.Contains("--disable-radix-cache", StringComparison.Ordinal));
        Assert.Contains(run.Notes, n => n.Contains("2 preemptions", StringComparison.Ordinal));
    }

    [Fact]
    public void Older_sglang_gives_its_per_token_gaps_as_time_per_output_token()
    {
        var page = SglangScrapeText.Render(requests: 64, prompt: 64_000, generated: 6400, ttft: 64 * 0.12, itl: 64 * 99 * 0.012, e2e: 64 * 1.31, cached: 0, retracted: 0)
            .Replace("sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds", StringComparison.Ordinal);

        var run = ServerRunMeasurement.Measure(PrometheusScrape.Parse(page, "old.prom"));

        Assert.Equal(12, run.ItlMeanMs, 6);
    }
}
