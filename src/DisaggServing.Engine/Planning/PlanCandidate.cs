using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Planning;

/// <summary>
/// One configuration the planner simulated: P/D (<see cref="Prefill"/> and <see cref="Decode"/>) or colocated, its
/// cost, and how it served the workload at the requested rate.
/// </summary>
public sealed record PlanCandidate
{
    /// <summary>GPU id.</summary>
    [JsonPropertyName("gpu")]
    public required string Gpu { get; init; }

    /// <summary>EC2 instance type of every node.</summary>
    [JsonPropertyName("instance_type")]
    public required string InstanceType { get; init; }

    /// <summary>Prefill pool; null when colocated.</summary>
    [JsonPropertyName("prefill")]
    public PlanPool? Prefill { get; init; }

    /// <summary>Decode pool; null when colocated.</summary>
    [JsonPropertyName("decode")]
    public PlanPool? Decode { get; init; }

    /// <summary>Colocated pool; null in P/D.</summary>
    [JsonPropertyName("colocated")]
    public PlanPool? Colocated { get; init; }

    /// <summary>GPUs the engines occupy.</summary>
    [JsonPropertyName("gpus")]
    public int Gpus { get; init; }

    /// <summary>Nodes paid for: each role on nodes of its own, as per-role NodePools place them.</summary>
    [JsonPropertyName("nodes")]
    public int Nodes { get; init; }

    /// <summary>Nodes × the instance type's $/hour.</summary>
    [JsonPropertyName("usd_per_hour")]
    public double UsdPerHour { get; init; }

    /// <summary>Highest Poisson rate at which the target fraction of requests meets the SLO (DistServe's goodput).</summary>
    [JsonPropertyName("goodput_rps")]
    public double GoodputRps { get; init; }

    /// <summary>Fraction of requests within the SLO at the requested rate plus the headroom.</summary>
    [JsonPropertyName("slo_attainment")]
    public double SloAttainment { get; init; }

    /// <summary>True when <see cref="SloAttainment"/> reaches the target at the requested rate plus the headroom.</summary>
    [JsonPropertyName("meets")]
    public bool Meets { get; init; }

    /// <summary>$/hour over the output tokens of <see cref="GoodputRps"/> requests a second, per million; null at zero goodput.</summary>
    [JsonPropertyName("usd_per_million_output_tokens")]
    public double? UsdPerMillionOutputTokens { get; init; }

    /// <summary>True for prefill/decode.</summary>
    [JsonIgnore]
    public bool IsDisaggregated => Prefill is not null;

    /// <summary>Goodput per $/hour: the DistServe comparison, per dollar.</summary>
    [JsonIgnore]
    public double GoodputPerUsdHour => GoodputRps / UsdPerHour;

    /// <summary>A short description, e.g. <c>h100-sxm P 2:4 + D 3:4</c>.</summary>
    public string Describe() => IsDisaggregated ? $"{Gpu} P {Prefill} + D {Decode}" : $"{Gpu} colocated {Colocated}";
}
