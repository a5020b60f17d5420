using System.Globalization;

namespace DisaggServing.Engine.Tests.Calibration;

/// <summary>
/// An SGLang <c>/metrics</c> page as the tokenizer manager writes it with <c>--enable-metrics</c> (prometheus_client's
/// text format: HELP and TYPE lines, <c>model_name</c> label, <c>_total</c> counters with their <c>_created</c> samples),
/// with the cumulative totals a test chooses; each histogram has only its +Inf bucket, which is all a mean needs.
/// Shared with the CLI tests (linked).
/// </summary>
internal static class SglangScrapeText
{
    internal static string Render(long requests, double prompt, double generated, double ttft, double itl, double e2e, double cached, double retracted)
    {
        var labels = "engine_type=\"unified\",model_name=\"Qwen/Qwen3-8B\"";
        string Histogram(string name, string help, long count, double sum) => string.Create(CultureInfo.InvariantCulture, $$"""
            # HELP {{name}} {{help}}
            # TYPE {{name}} histogram
            {{name}}_sum{{{labels}}} {{sum}}
            {{name}}_bucket{{{labels}},le="+Inf"} {{count}}.0
            {{name}}_count{{{labels}}} {{count}}.0

            """);
        string Counter(string name, string help, double value) => string.Create(CultureInfo.InvariantCulture, $$"""
            # HELP {{name}} {{help}}
            # TYPE {{name}} counter
            {{name}}{{{labels}}} {{value}}
            {{name.Replace("_total", "_created", StringComparison.Ordinal)}}{{{labels}}} 1.7645e+09

            """);
        return Counter("sglang:prompt_tokens_total", "Number of prefill tokens processed.", prompt)
            + Counter("sglang:generation_tokens_total", "Number of generation tokens processed.", generated)
            + Counter("sglang:cached_tokens_total", "Number of cached prompt tokens.", cached)
            + Counter("sglang:num_requests_total", "Number of requests processed.", requests)
            + Histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", requests, ttft)
            + Histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", (long)(requests * 99), itl)
            + Histogram("sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", requests, e2e)
            + Histogram("sglang:num_retractions", "Histogram of retraction counts per request.", requests, retracted);
    }
}
