using System.Globalization;
using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Metrics;

/// <summary>
/// A latency service-level objective: a request meets it when its TTFT and its TPOT are both within bounds. A null
/// bound leaves that metric unconstrained; a request with one output token has no TPOT and meets any TPOT bound.
/// </summary>
public sealed record SloSpec
{
    /// <summary>Creates the objective.</summary>
    /// <param name="ttftMs">Largest acceptable time to first token, in ms, or null for none.</param>
    /// <param name="tpotMs">Largest acceptable time per output token, in ms, or null for none.</param>
    /// <exception cref="InputException">A bound is not a positive finite number.</exception>
    public SloSpec(double? ttftMs, double? tpotMs)
    {
        Validate(ttftMs, "SLO TTFT bound (ttft_ms)");
        Validate(tpotMs, "SLO TPOT bound (tpot_ms)");
        TtftMs = ttftMs;
        TpotMs = tpotMs;
    }

    /// <summary>No bounds: every completed request meets it.</summary>
    public static SloSpec None { get; } = new(null, null);

    /// <summary>Largest acceptable time to first token, in ms; null when unconstrained.</summary>
    [JsonPropertyName("ttft_ms")]
    public double? TtftMs { get; }

    /// <summary>Largest acceptable time per output token, in ms; null when unconstrained.</summary>
    [JsonPropertyName("tpot_ms")]
    public double? TpotMs { get; }

    /// <summary>Whether a request with these latencies meets both bounds (<paramref name="tpotMs"/> null: no TPOT).</summary>
    public bool IsMet(double ttftMs, double? tpotMs) =>
        (TtftMs is not { } ttftBound || ttftMs <= ttftBound)
        && (TpotMs is not { } tpotBound || tpotMs is not { } tpot || tpot <= tpotBound);

    /// <summary>Readable form, such as <c>ttft&lt;=200ms tpot&lt;=50ms</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(2);
        if (TtftMs is { } ttft)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"ttft<={ttft}ms"));
        }

        if (TpotMs is { } tpot)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tpot<={tpot}ms"));
        }

        return parts.Count == 0 ? "none" : string.Join(' ', parts);
    }

    private static void Validate(double? bound, string name)
    {
        if (bound is { } value && (!(value > 0) || double.IsInfinity(value)))
        {
            throw new InputException($"{name} must be a positive number of milliseconds, or left out for no bound; got {value}.");
        }
    }
}
