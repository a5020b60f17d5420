using System.Text.Json;
using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Metrics;

/// <summary>
/// The outcome of one simulated run, shaped for JSON output with snake_case names (latencies in ms, rates per
/// simulated second). Named extras are left out of the JSON when null; <see cref="Extra"/> adds any other
/// top-level fields.
/// </summary>
public sealed record SimulationReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,

        // A stray NaN should still produce a readable report rather than an exception.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Requests that arrived.</summary>
    [JsonPropertyName("requests")]
    public int Requests { get; init; }

    /// <summary>Requests that finished.</summary>
    [JsonPropertyName("completed")]
    public int Completed { get; init; }

    /// <summary>Time to first token of finished requests.</summary>
    [JsonPropertyName("ttft_ms")]
    public LatencySummary TtftMs { get; init; } = LatencySummary.Empty;

    /// <summary>Time per output token of finished requests with more than one token.</summary>
    [JsonPropertyName("tpot_ms")]
    public LatencySummary TpotMs { get; init; } = LatencySummary.Empty;

    /// <summary>Every inter-token gap.</summary>
    [JsonPropertyName("itl_ms")]
    public LatencySummary ItlMs { get; init; } = LatencySummary.Empty;

    /// <summary>End-to-end latency of finished requests.</summary>
    [JsonPropertyName("e2e_ms")]
    public LatencySummary E2eMs { get; init; } = LatencySummary.Empty;

    /// <summary>The objective attainment and goodput were measured against.</summary>
    [JsonPropertyName("slo")]
    public SloSpec Slo { get; init; } = SloSpec.None;

    /// <summary>Fraction of arrived requests that finished within the SLO.</summary>
    [JsonPropertyName("slo_attainment")]
    public double SloAttainment { get; init; }

    /// <summary>Requests that met the SLO per simulated second.</summary>
    [JsonPropertyName("goodput_rps")]
    public double GoodputRps { get; init; }

    /// <summary>Output tokens of finished requests per simulated second.</summary>
    [JsonPropertyName("output_tokens_per_s")]
    public double OutputTokensPerSecond { get; init; }

    /// <summary>Finished requests per simulated second.</summary>
    [JsonPropertyName("requests_per_s")]
    public double RequestsPerSecond { get; init; }

    /// <summary>Length of the run on the simulation clock.</summary>
    [JsonPropertyName("simulated_seconds")]
    public double SimulatedSeconds { get; init; }

    /// <summary>Real time the simulation took.</summary>
    [JsonPropertyName("wall_seconds")]
    public double WallSeconds { get; init; }

    /// <summary>Requests preempted (KV evicted and recomputed or swapped), when the simulator counts them.</summary>
    [JsonPropertyName("preemptions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Preemptions { get; init; }

    /// <summary>Requests whose whole prompt waited for running ones to finish (chunked prefill off), when any did.</summary>
    [JsonPropertyName("prompts_held_for_room")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PromptsHeldForRoom { get; init; }

    /// <summary>KV transfers from prefill to decode engines, in disaggregated runs.</summary>
    [JsonPropertyName("kv_transfers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KvTransfers { get; init; }

    /// <summary>Mean duration of a KV transfer, in ms, in disaggregated runs.</summary>
    [JsonPropertyName("mean_kv_transfer_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeanKvTransferMs { get; init; }

    /// <summary>Prompt tokens the engines looked up in their prefix caches (vLLM's <c>prefix_cache_queries</c>), summed over engines.</summary>
    [JsonPropertyName("prefix_cache_queries")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PrefixCacheQueries { get; init; }

    /// <summary>Of those, tokens found cached (vLLM's <c>prefix_cache_hits</c>).</summary>
    [JsonPropertyName("prefix_cache_hits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PrefixCacheHits { get; init; }

    /// <summary>Hits per query token, 0 to 1; null when nothing was looked up.</summary>
    [JsonPropertyName("prefix_cache_hit_rate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PrefixCacheHitRate => PrefixCacheQueries is > 0 ? (double)PrefixCacheHits.GetValueOrDefault() / PrefixCacheQueries.Value : null;

    /// <summary>Requests per P/D decision reason of the router (<c>uncached</c>, <c>short-prompt</c>, <c>cached-prefix</c>, <c>no-prefill</c>, …).</summary>
    [JsonPropertyName("decisions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, int>? Decisions { get; init; }

    /// <summary>Further top-level fields (snake_case names by convention); they appear in the JSON beside the others.</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? Extra { get; init; }

    /// <summary>Reads a report written by <see cref="ToJson"/>; unknown fields land in <see cref="Extra"/>.</summary>
    /// <exception cref="InputException">The text is not a report.</exception>
    public static SimulationReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<SimulationReport>(json, Options)
                ?? throw new InputException("simulation report is JSON null; expected an object with requests, ttft_ms, ….");
        }
        catch (JsonException e)
        {
            throw new InputException($"simulation report is not valid JSON ({e.Path ?? "$"}): {e.Message}", e);
        }
    }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
