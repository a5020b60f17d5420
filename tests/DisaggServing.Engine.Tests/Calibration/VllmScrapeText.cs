using System.Globalization;
using System.Text;

namespace DisaggServing.Engine.Tests.Calibration;

/// <summary>
/// A vLLM V1 <c>/metrics</c> page as <c>vllm serve</c> writes it (prometheus_client's text format: HELP and TYPE lines,
/// <c>model_name</c>/<c>engine</c> labels, cumulative buckets with <c>le</c>, <c>_total</c> counters and <c>_created</c>
/// samples, process and Python metrics beside them), with the cumulative totals a test chooses. Every request has
/// <see cref="PromptTokens"/> and <see cref="GenerationTokens"/> tokens; timings land in the bucket of their mean.
/// Shared with the CLI tests (linked).
/// </summary>
internal sealed record VllmScrapeText
{
    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] ItlBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] LatencyBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    public string Model { get; init; } = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>Engine cores (data-parallel ranks); the totals are split over them.</summary>
    public int Engines { get; init; } = 1;

    public long Requests { get; init; }

    public int PromptTokens { get; init; } = 1000;

    public int GenerationTokens { get; init; } = 100;

    /// <summary>Requests of this run with another prompt length, <see cref="OtherPromptTokens"/> (for varied-length runs).</summary>
    public long OtherLengthRequests { get; init; }

    public int OtherPromptTokens { get; init; } = 8000;

    public double TtftSeconds { get; init; }

    public double ItlSeconds { get; init; }

    public double E2eSeconds { get; init; }

    public double PrefixQueries { get; init; }

    public double PrefixHits { get; init; }

    public double Preemptions { get; init; }

    /// <summary>vLLM before V1's rename wrote per-token gaps as time_per_output_token_seconds.</summary>
    public bool OldItlName { get; init; }

    public string CacheDtype { get; init; } = "auto";

    /// <summary>Sample timestamps (ms), as a scraper that stamps its samples writes them; vLLM itself writes none.</summary>
    public long? TimestampMs { get; init; }

    /// <summary>Requests of earlier runs, with their lengths (a later scrape of the same server carries them).</summary>
    public IReadOnlyList<(long Requests, int Prompt, int Generation)> Earlier { get; init; } = [];

    private IEnumerable<(long Requests, int Prompt, int Generation)> All =>
        Earlier.Append((Requests, PromptTokens, GenerationTokens)).Append((OtherLengthRequests, OtherPromptTokens, GenerationTokens));

    public long ItlCount => All.Sum(g => g.Requests * Math.Max(0, g.Generation - 1));

    /// <summary>A later scrape of the same server: these totals plus a run of <paramref name="run"/>'s.</summary>
    public VllmScrapeText Plus(VllmScrapeText run) => run with
    {
        Earlier = [.. Earlier, (Requests, PromptTokens, GenerationTokens), (OtherLengthRequests, OtherPromptTokens, GenerationTokens), .. run.Earlier],
        Requests = run.Requests, OtherLengthRequests = run.OtherLengthRequests, TtftSeconds = TtftSeconds + run.TtftSeconds, ItlSeconds = ItlSeconds + run.ItlSeconds,
        E2eSeconds = E2eSeconds + run.E2eSeconds, PrefixQueries = PrefixQueries + run.PrefixQueries, PrefixHits = PrefixHits + run.PrefixHits,
        Preemptions = Preemptions + run.Preemptions,
    };

    public string Render()
    {
        var s = new StringBuilder();
        s.Append("""
            # HELP python_gc_objects_collected_total Objects collected during gc
            # TYPE python_gc_objects_collected_total counter
            python_gc_objects_collected_total{generation="0"} 12873.0
            python_gc_objects_collected_total{generation="1"} 3271.0
            # HELP process_resident_memory_bytes Resident memory size in bytes.
            # TYPE process_resident_memory_bytes gauge
            process_resident_memory_bytes 2.19185152e+09
            # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
            # TYPE process_start_time_seconds gauge
            process_start_time_seconds 1.76459e+09

            """.Replace("\r", "", StringComparison.Ordinal));
        Gauge(s, "vllm:num_requests_running", "Number of requests in model execution batches.", 0);
        Gauge(s, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", 0);
        Gauge(s, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", 0);
        s.Append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n# TYPE vllm:cache_config_info gauge\n");
        s.Append(Invariant($"vllm:cache_config_info{{block_size=\"16\",cache_dtype=\"{CacheDtype}\",calculate_kv_scales=\"False\",enable_prefix_caching=\"True\",engine=\"0\",gpu_memory_utilization=\"0.9\",num_gpu_blocks=\"27153\",prefix_caching_hash_algo=\"builtin\"}} 1.0{Stamp}\n"));
        var totalRequests = All.Sum(g => g.Requests);
        Counter(s, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.", PrefixQueries);
        Counter(s, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.", PrefixHits);
        Counter(s, "vllm:num_preemptions", "Cumulative number of preemption from the engine.", Preemptions);
        Counter(s, "vllm:prompt_tokens", "Number of prefill tokens processed.", All.Sum(g => (double)g.Requests * g.Prompt));
        Counter(s, "vllm:generation_tokens", "Number of generation tokens processed.", All.Sum(g => (double)g.Requests * g.Generation));
        s.Append("# HELP vllm:request_success_total Count of successfully processed requests.\n# TYPE vllm:request_success_total counter\n");
        foreach (var reason in new[] { "stop", "length", "abort" })
            for (var e = 0; e < Engines; e++)
                s.Append(Invariant($"vllm:request_success_total{{engine=\"{e}\",finished_reason=\"{reason}\",model_name=\"{Model}\"}} {(reason == "length" ? Split(totalRequests, e) : 0):0.0}{Stamp}\n"));
        var lengthBuckets = OneTwoFive(131072);
        Histogram(s, "vllm:request_prompt_tokens", "Number of prefill tokens processed.", lengthBuckets,
            [.. All.Select(g => ((double)g.Prompt, g.Requests, (double)g.Requests * g.Prompt))]);
        Histogram(s, "vllm:request_generation_tokens", "Number of generation tokens processed.", lengthBuckets,
            [.. All.Select(g => ((double)g.Generation, g.Requests, (double)g.Requests * g.Generation))]);
        Histogram(s, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TtftBuckets,
            [(Mean(TtftSeconds, totalRequests), totalRequests, TtftSeconds)]);
        Histogram(s, OldItlName ? "vllm:time_per_output_token_seconds" : "vllm:inter_token_latency_seconds",
            OldItlName ? "Histogram of time per output token in seconds." : "Histogram of inter-token latency in seconds.", ItlBuckets,
            [(Mean(ItlSeconds, ItlCount), ItlCount, ItlSeconds)]);
        Histogram(s, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", LatencyBuckets,
            [(Mean(E2eSeconds, totalRequests), totalRequests, E2eSeconds)]);
        return s.ToString();
    }

    private string Stamp => TimestampMs is { } ms ? Invariant($" {ms}") : "";

    private string Labels(int engine) => $"engine=\"{engine}\",model_name=\"{Model}\"";

    private double Split(double total, int engine) => engine == 0 ? total - (Engines - 1) * Math.Floor(total / Engines) : Math.Floor(total / Engines);

    private void Gauge(StringBuilder s, string name, string help, double value)
    {
        s.Append($"# HELP {name} {help}\n# TYPE {name} gauge\n");
        for (var e = 0; e < Engines; e++) s.Append(Invariant($"{name}{{{Labels(e)}}} {value:0.0}{Stamp}\n"));
    }

    private void Counter(StringBuilder s, string name, string help, double total)
    {
        s.Append($"# HELP {name}_total {help}\n# TYPE {name}_total counter\n");
        for (var e = 0; e < Engines; e++) s.Append(Invariant($"{name}_total{{{Labels(e)}}} {Split(total, e):0.0###}{Stamp}\n"));
        s.Append($"# HELP {name}_created {help}\n# TYPE {name}_created gauge\n");
        for (var e = 0; e < Engines; e++) s.Append(Invariant($"{name}_created{{{Labels(e)}}} 1.7645901237e+09{Stamp}\n"));
    }

    // Observations grouped as (value, count, sum); engine 0 takes the remainder of an uneven split.
    private void Histogram(StringBuilder s, string name, string help, double[] bounds, (double Value, long Count, double Sum)[] groups)
    {
        s.Append($"# HELP {name} {help}\n# TYPE {name} histogram\n");
        for (var e = 0; e < Engines; e++)
        {
            var engine = e;
            foreach (var le in bounds.Append(double.PositiveInfinity))
            {
                var below = groups.Where(g => g.Value <= le).Sum(g => Split(g.Count, engine));
                var bound = double.IsPositiveInfinity(le) ? "+Inf" : Invariant($"{le:0.0##}");
                s.Append(Invariant($"{name}_bucket{{{Labels(e)},le=\"{bound}\"}} {below:0.0}{Stamp}\n"));
            }
            s.Append(Invariant($"{name}_count{{{Labels(e)}}} {groups.Sum(g => Split(g.Count, engine)):0.0}{Stamp}\n"));
            s.Append(Invariant($"{name}_sum{{{Labels(e)}}} {groups.Sum(g => g.Count == 0 ? 0 : g.Sum * Split(g.Count, engine) / g.Count):R}{Stamp}\n"));
        }
        s.Append($"# HELP {name}_created {help}\n# TYPE {name}_created gauge\n");
        for (var e = 0; e < Engines; e++) s.Append(Invariant($"{name}_created{{{Labels(e)}}} 1.7645901237e+09{Stamp}\n"));
    }

    private static double Mean(double sum, long count) => count == 0 ? 0 : sum / count;

    private static double[] OneTwoFive(int max)
    {
        var buckets = new List<double>();
        for (var exponent = 1; ; exponent *= 10)
            foreach (var m in new[] { 1, 2, 5 })
            {
                if (m * exponent > max) return [.. buckets];
                buckets.Add(m * exponent);
            }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
