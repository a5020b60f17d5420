using System.Text.Json;
using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Planning;

/// <summary>The planner's answer: the cheapest candidate meeting the SLO at the rate, and every candidate it priced.</summary>
public sealed record PlanResult
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The cheapest candidate that meets the SLO at the rate (higher goodput breaks ties); null when none does.</summary>
    [JsonPropertyName("best")]
    public PlanCandidate? Best { get; init; }

    /// <summary>The smallest configuration that meets the SLO per GPU type, layout and TP (or the largest tried), cheapest first.</summary>
    [JsonPropertyName("candidates")]
    public required IReadOnlyList<PlanCandidate> Candidates { get; init; }

    /// <summary>Configurations simulated in the search, goodput probes included.</summary>
    [JsonPropertyName("configurations_simulated")]
    public int ConfigurationsSimulated { get; init; }

    /// <summary>Requests simulated in all.</summary>
    [JsonPropertyName("simulated_requests")]
    public long SimulatedRequests { get; init; }

    /// <summary>Wall-clock seconds of the search.</summary>
    [JsonPropertyName("wall_seconds")]
    public double WallSeconds { get; init; }

    /// <summary>The result as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
