using System.Globalization;
using System.Text.Json.Serialization;
using DisaggServing.Engine.Metrics;
using HdrHistogram;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// The result of one <c>disagg bench</c> run, as the table and the JSON report show it. Latencies are in ms;
/// TTFT, TPOT and end-to-end percentiles are exact over the requests, ITL comes from an HDR histogram of every
/// gap between content chunks (1 µs resolution, 3 significant digits). Attainment is over every request sent:
/// failed ones miss the SLO.
/// </summary>
internal sealed record BenchReport
{
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("endpoint")] public required string Endpoint { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("workload")] public required string Workload { get; init; }
    [JsonPropertyName("load")] public required string Load { get; init; }
    [JsonPropertyName("rate_rps")] public double? Rate { get; init; }
    [JsonPropertyName("concurrency")] public int? Concurrency { get; init; }
    [JsonPropertyName("stream")] public bool Stream { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }
    [JsonPropertyName("requests")] public int Requests { get; init; }
    [JsonPropertyName("completed")] public int Completed { get; init; }
    [JsonPropertyName("failed")] public int Failed { get; init; }

    /// <summary>Failures by HTTP status ("500") or by kind ("timeout", "connection", "stream_error", "bad_response", "no_output").</summary>
    [JsonPropertyName("errors")] public required SortedDictionary<string, int> Errors { get; init; }

    [JsonPropertyName("input_tokens")] public long InputTokens { get; init; }
    [JsonPropertyName("output_tokens")] public long OutputTokens { get; init; }
    [JsonPropertyName("request_throughput_rps")] public double RequestThroughput { get; init; }
    [JsonPropertyName("output_token_throughput_tps")] public double OutputTokenThroughput { get; init; }
    [JsonPropertyName("total_token_throughput_tps")] public double TotalTokenThroughput { get; init; }
    [JsonPropertyName("ttft_ms")] public required LatencySummary TtftMs { get; init; }
    [JsonPropertyName("tpot_ms")] public required LatencySummary TpotMs { get; init; }
    [JsonPropertyName("itl_ms")] public required LatencySummary ItlMs { get; init; }
    [JsonPropertyName("e2e_ms")] public required LatencySummary E2eMs { get; init; }
    [JsonPropertyName("slo")] public required SloSpec Slo { get; init; }
    [JsonPropertyName("slo_attainment")] public double SloAttainment { get; init; }
    [JsonPropertyName("goodput_rps")] public double GoodputRps { get; init; }

    public static BenchReport Build(BenchSettings settings, IReadOnlyList<BenchOutcome> outcomes, double seconds)
    {
        var ok = outcomes.Where(o => o.Succeeded).ToArray();
        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var failure in outcomes.Where(o => !o.Succeeded))
        {
            errors[failure.Error!] = errors.GetValueOrDefault(failure.Error!) + 1;
        }

        var met = ok.Count(o => settings.Slo.IsMet(o.TtftSeconds * 1000, o.TpotSeconds(settings.Stream) * 1000));
        var input = ok.Sum(o => (long)o.InputTokens);
        var output = ok.Sum(o => (long)o.OutputTokens);
        double PerSecond(double amount) => seconds > 0 ? amount / seconds : 0;
        return new BenchReport
        {
            Url = settings.Url.ToString(),
            Endpoint = settings.Endpoint.ToString(),
            Model = settings.Model,
            Workload = settings.Workload.ToString(),
            Load = settings.LoadMode,
            Rate = settings.Rate,
            Concurrency = settings.Concurrency,
            Stream = settings.Stream,
            Seed = settings.Seed,
            DurationSeconds = seconds,
            Requests = outcomes.Count,
            Completed = ok.Length,
            Failed = outcomes.Count - ok.Length,
            Errors = errors,
            InputTokens = input,
            OutputTokens = output,
            RequestThroughput = PerSecond(ok.Length),
            OutputTokenThroughput = PerSecond(output),
            TotalTokenThroughput = PerSecond(input + output),
            TtftMs = LatencySummary.FromSeconds(ok.Select(o => o.TtftSeconds)),
            TpotMs = LatencySummary.FromSeconds(ok.Select(o => o.TpotSeconds(settings.Stream)).OfType<double>()),
            ItlMs = Itl(ok),
            E2eMs = LatencySummary.FromSeconds(ok.Select(o => o.E2eSeconds)),
            Slo = settings.Slo,
            SloAttainment = outcomes.Count == 0 ? 0 : (double)met / outcomes.Count,
            GoodputRps = PerSecond(met),
        };
    }

    /// <summary>One line describing the load, for the table's title.</summary>
    public string Describe()
    {
        var load = Concurrency is { } c ? string.Create(CultureInfo.InvariantCulture, $"concurrency {c}")
            : Rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r} req/s Poisson")
            : "trace arrivals";
        return $"{Model} at {Endpoint}; {Workload}, {load}, {(Stream ? "streaming" : "non-streaming")}";
    }

    private static LatencySummary Itl(IEnumerable<BenchOutcome> outcomes)
    {
        const long maxMicroseconds = 3_600_000_000;
        var histogram = new LongHistogram(1, maxMicroseconds, 3);
        double sum = 0, max = 0;
        foreach (var gap in outcomes.SelectMany(o => o.ChunkGaps))
        {
            sum += gap;
            max = Math.Max(max, gap);
            histogram.RecordValue(Math.Clamp((long)Math.Round(gap * 1e6), 1, maxMicroseconds));
        }

        var count = histogram.TotalCount;
        if (count == 0)
        {
            return LatencySummary.Empty;
        }

        var maxMs = max * 1000;
        double At(double percentile) => Math.Min(histogram.GetValueAtPercentile(percentile) / 1000.0, maxMs);
        return new LatencySummary(count, sum * 1000 / count, At(50), At(90), At(95), At(99), maxMs);
    }
}
