using DisaggServing.Protocol;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// Where a serving engine's <c>/metrics</c> keeps what <see cref="ServerRunMeasurement"/> reads: the same quantities
/// under vLLM's names and SGLang's. Histograms are named by family (their <c>_sum</c>, <c>_count</c> and <c>_bucket</c>
/// series); counters by their exposed name.
/// </summary>
/// <param name="Server">The engine, for messages.</param>
/// <param name="Prefix">The prefix of its series.</param>
/// <param name="Ttft">Histogram: time to first token, seconds.</param>
/// <param name="Itl">Histogram: gaps between output tokens, seconds.</param>
/// <param name="OldItl">The same under its earlier name.</param>
/// <param name="E2e">Histogram: end-to-end latency of finished requests, seconds (its count is the requests).</param>
/// <param name="PromptTotal">Counter: prompt tokens.</param>
/// <param name="GenerationTotal">Counter: generated tokens.</param>
/// <param name="PromptHistogram">Histogram of each finished request's prompt tokens, where the engine always keeps one.</param>
/// <param name="GenerationHistogram">Histogram of each finished request's generated tokens, where the engine always keeps one.</param>
/// <param name="PrefixQueries">Counter: prompt tokens looked up in the prefix cache.</param>
/// <param name="PrefixHits">Counter: prompt tokens the prefix cache served.</param>
/// <param name="Preemptions">Counter (or a histogram's sum): requests preempted (SGLang: retracted).</param>
/// <param name="Fix">What to scrape instead when a series is missing.</param>
/// <param name="NoPrefixCache">How to run without prefix-cache hits.</param>
public sealed record ServerMetricNames(
    string Server, string Prefix, string Ttft, string Itl, string OldItl, string E2e, string PromptTotal, string GenerationTotal,
    string? PromptHistogram, string? GenerationHistogram, string PrefixQueries, string PrefixHits, string Preemptions, string Fix, string NoPrefixCache)
{
    /// <summary>vLLM's names (<c>vllm/v1/metrics/loggers.py</c>; before V1 the gaps were <c>time_per_output_token</c>).</summary>
    public static ServerMetricNames Vllm { get; } = new(
        "vLLM", "vllm:", MetricNames.TimeToFirstToken, MetricNames.InterTokenLatency, ServerRunMeasurement.TimePerOutputToken,
        MetricNames.E2eRequestLatency, MetricNames.PromptTokens, MetricNames.GenerationTokens,
        ServerRunMeasurement.RequestPromptTokens, ServerRunMeasurement.RequestGenerationTokens,
        MetricNames.PrefixCacheQueries, MetricNames.PrefixCacheHits, MetricNames.NumPreemptions,
        "scrape vLLM's own /metrics (vllm serve, V1 engine)", "run with random prompts or --no-enable-prefix-caching");

    /// <summary>
    /// SGLang's names (<c>sglang/srt/metrics/collector.py</c>, served with <c>--enable-metrics</c>): lengths only as
    /// token counters, cache hits as <c>cached_tokens</c> against all prompt tokens, preemptions as retractions (a
    /// per-request histogram whose sum counts them); before 0.4.x the gaps were <c>time_per_output_token</c>.
    /// </summary>
    public static ServerMetricNames Sglang { get; } = new(
        "SGLang", "sglang:", "sglang:time_to_first_token_seconds", "sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds",
        "sglang:e2e_request_latency_seconds", "sglang:prompt_tokens_total", "sglang:generation_tokens_total",
        null, null, "sglang:prompt_tokens_total", "sglang:cached_tokens_total", "sglang:num_retractions_sum",
        "scrape SGLang's own /metrics (python -m sglang.launch_server --enable-metrics)", "run with random prompts or --disable-radix-cache");

    /// <summary>The names <paramref name="scrape"/> carries; throws <see cref="InputException"/> naming the file when it has neither engine's.</summary>
    public static ServerMetricNames Of(PrometheusScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        foreach (var names in (ServerMetricNames[])[Vllm, Sglang])
            if (scrape.Samples.Any(s => s.Name.StartsWith(names.Prefix, StringComparison.Ordinal))) return names;
        throw new InputException($"{scrape.Source}: no vllm: or sglang: metrics; scrape a vLLM or SGLang server's /metrics (curl -s http://HOST:PORT/metrics > FILE; SGLang needs --enable-metrics).");
    }
}
