using System.Globalization;
using DisaggServing.Protocol;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// What a vLLM or SGLang server measured over one run, read from its <c>/metrics</c>: the scrape after the run less the
/// scrape before it (or, for a server that served only the run, one scrape). Means come from the histograms' sums and
/// counts, summed over the series of one served model (label <c>model_name</c>): vLLM's names
/// (<c>vllm/v1/metrics/loggers.py</c>, summed over its <c>engine</c> label) or SGLang's
/// (<c>sglang/srt/metrics/collector.py</c>, the tokenizer manager's, with <c>--enable-metrics</c>).
/// </summary>
public sealed record ServerRunMeasurement
{
    /// <summary>Histogram (vLLM before V1's rename): per-token gaps, as <see cref="MetricNames.InterTokenLatency"/> is now.</summary>
    public const string TimePerOutputToken = "vllm:time_per_output_token_seconds";

    /// <summary>Histogram: prompt tokens of each finished request.</summary>
    public const string RequestPromptTokens = "vllm:request_prompt_tokens";

    /// <summary>Histogram: generated tokens of each finished request.</summary>
    public const string RequestGenerationTokens = "vllm:request_generation_tokens";

    /// <summary>Info gauge of the cache config (label <c>cache_dtype</c>).</summary>
    public const string CacheConfigInfo = "vllm:cache_config_info";

    /// <summary>The server whose names the scrape carries: "vLLM" or "SGLang".</summary>
    public required string Server { get; init; }

    /// <summary>The files read: "BEFORE → AFTER" or the one scrape.</summary>
    public required string Source { get; init; }

    /// <summary>The served model (<c>model_name</c>), when the scrape names one.</summary>
    public string? ModelName { get; init; }

    /// <summary>Requests that finished during the run.</summary>
    public required long Requests { get; init; }

    /// <summary>Mean time to first token, ms (measured by the server, from arrival).</summary>
    public required double TtftMeanMs { get; init; }

    /// <summary>Mean inter-token latency, ms (over all tokens after the first).</summary>
    public required double ItlMeanMs { get; init; }

    /// <summary>Mean prompt tokens per finished request.</summary>
    public required double InputTokens { get; init; }

    /// <summary>Mean generated tokens per finished request.</summary>
    public required double OutputTokens { get; init; }

    /// <summary>Tokens generated during the run.</summary>
    public required double GenerationTokens { get; init; }

    /// <summary>Sum of the finished requests' end-to-end latencies, seconds (Little's law gives the mean concurrency from it).</summary>
    public required double E2eSeconds { get; init; }

    /// <summary>Seconds between the two scrapes, when both carry sample timestamps; else null.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>vLLM's <c>--kv-cache-dtype</c> (<c>auto</c>, <c>fp8</c>…), when the scrape has the cache-config info.</summary>
    public string? KvCacheDtype { get; init; }

    /// <summary>What may make the run differ from the estimate it is fitted to (prefix-cache hits, preemptions, varied lengths).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// The run between <paramref name="before"/> (null: a fresh server's counters start at zero) and
    /// <paramref name="after"/>; <paramref name="model"/> picks the served model when the scrape has several.
    /// </summary>
    public static ServerRunMeasurement Measure(PrometheusScrape after, PrometheusScrape? before = null, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        var source = before is null ? after.Source : $"{before.Source} → {after.Source}";
        var names = ServerMetricNames.Of(after);
        var modelName = PickModel(after, names, model, source);
        var notes = new List<string>();

        double Delta(string name, bool required = true)
        {
            var now = Sum(after, name, modelName);
            var then = before is null ? 0 : Sum(before, name, modelName);
            if (now is null)
            {
                if (required)
                    throw new InputException($"{after.Source}: no '{name}' for model '{modelName}'; {names.Fix}.");
                return 0;
            }
            if (before is not null && then is null)
                throw new InputException($"{before.Source}: no '{name}' for model '{modelName}', which {after.Source} has; give two scrapes of the same server.");
            if (now < then)
                throw new InputException($"{source}: '{name}' went down from {Format(then!.Value)} to {Format(now.Value)}; the server restarted between the scrapes, or they are in the wrong order (give BEFORE then AFTER).");
            return now.Value - (then ?? 0);
        }

        double Mean(string family, string what)
        {
            var count = Delta(family + "_count");
            if (count <= 0)
                throw new InputException($"{source}: '{family}' has no observations in the run, so there is no {what}; scrape before and after a run that completed requests.");
            return Delta(family + "_sum") / count;
        }

        var requests = Delta(names.E2e + "_count");
        if (requests < 1)
            throw new InputException($"{source}: no request finished between the scrapes ('{names.E2e}_count' did not grow); scrape before and after the run.");
        var itlFamily = Sum(after, names.Itl + "_count", modelName) is not null ? names.Itl : names.OldItl;

        // vLLM keeps each request's lengths in histograms; SGLang only sums them (its histograms are optional).
        var input = names.PromptHistogram is { } prompts ? Mean(prompts, "prompt length") : Delta(names.PromptTotal) / requests;
        var output = names.GenerationHistogram is { } outputs ? Mean(outputs, "output length") : Delta(names.GenerationTotal) / requests;
        if (names.PromptHistogram is { } ph) notes.AddRange(Spread(after, before, ph, modelName, "prompt"));
        if (names.GenerationHistogram is { } gh) notes.AddRange(Spread(after, before, gh, modelName, "output"));
        var queries = Delta(names.PrefixQueries, required: false);
        var hits = Delta(names.PrefixHits, required: false);
        if (queries > 0 && hits / queries > 0.05)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the prefix cache served {hits / queries * 100:0}% of the prompt tokens, which the estimate computes; {names.NoPrefixCache}."));
        var preemptions = Delta(names.Preemptions, required: false);
        if (preemptions > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{preemptions:0} preemptions: the KV cache ran out during the run."));

        return new ServerRunMeasurement
        {
            Server = names.Server,
            Source = source,
            ModelName = modelName,
            Requests = (long)Math.Round(requests),
            TtftMeanMs = Mean(names.Ttft, "time to first token") * 1e3,
            ItlMeanMs = Mean(itlFamily, "inter-token latency") * 1e3,
            InputTokens = input,
            OutputTokens = output,
            GenerationTokens = Delta(names.GenerationTotal),
            E2eSeconds = Delta(names.E2e + "_sum"),
            DurationSeconds = before is null ? null : Duration(before, after),
            KvCacheDtype = after.Samples.FirstOrDefault(s => s.Name == CacheConfigInfo)?.Label("cache_dtype"),
            Notes = notes,
        };
    }

    // The model_name of the server's series: the only one, or the one asked for.
    private static string? PickModel(PrometheusScrape scrape, ServerMetricNames names, string? model, string source)
    {
        var modelNames = scrape.Samples.Where(s => s.Name.StartsWith(names.Prefix, StringComparison.Ordinal)).Select(s => s.Label("model_name"))
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (modelNames.Count <= 1) return modelNames.FirstOrDefault();
        if (model is not null && modelNames.Contains(model, StringComparer.Ordinal)) return model;
        throw new InputException($"{source}: the server serves {string.Join(", ", modelNames.Select(n => $"'{n}'"))}; pass --model with the one the run used.");
    }

    // A family's value summed over the series of one model (all series when they carry no model_name); null when absent.
    private static double? Sum(PrometheusScrape scrape, string name, string? model, Func<PrometheusSample, bool>? where = null)
    {
        double? total = null;
        foreach (var s in scrape.Samples)
            if (s.Name == name && (model is null || s.Label("model_name") is null || s.Label("model_name") == model) && (where?.Invoke(s) ?? true))
                total = (total ?? 0) + s.Value;
        return total;
    }

    // Fixed-length runs put every request in one bucket of vLLM's 1-2-5 length buckets; say so when they did not.
    private static IEnumerable<string> Spread(PrometheusScrape after, PrometheusScrape? before, string family, string? model, string what)
    {
        var bounds = after.Samples.Where(s => s.Name == family + "_bucket").Select(s => Le(s)).OfType<double>().Distinct().Order().ToList();
        double Count(double le)
        {
            bool At(PrometheusSample s) => Le(s) == le;
            return (Sum(after, family + "_bucket", model, At) ?? 0) - (before is null ? 0 : Sum(before, family + "_bucket", model, At) ?? 0);
        }
        var counts = bounds.Select(Count).ToList(); // cumulative, as Prometheus buckets are
        var firstSome = counts.FindIndex(c => c > 0);
        var total = counts.Count > 0 ? counts[^1] : 0;
        if (firstSome < 0 || counts[firstSome] >= total) yield break;
        var lastShort = counts.FindLastIndex(c => c < total);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{what} lengths span vLLM's length buckets from ≤{bounds[firstSome]:0} to ≤{bounds[lastShort + 1]:0} tokens; the fit uses their mean, so fit from fixed-length runs (vllm bench serve --random-range-ratio 0 --ignore-eos).");
    }

    private static double? Le(PrometheusSample sample) => sample.Label("le") switch
    {
        null => null,
        "+Inf" or "Inf" => double.PositiveInfinity,
        var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var le) ? le : null,
    };

    private static double? Duration(PrometheusScrape before, PrometheusScrape after)
    {
        var from = before.Samples.Max(s => s.TimestampMs);
        var to = after.Samples.Max(s => s.TimestampMs);
        return from is { } a && to is { } b && b > a ? (b - a) / 1e3 : null;
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
