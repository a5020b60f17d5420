using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling.Configuration;

/// <summary>
/// The decode and prefill profiles of one router, as definitions (a host builds them with a <see cref="PluginRegistry"/>).
/// The named presets are what <c>disagg simulate --routing</c> selects; <see cref="PrefixAware"/> is the router's default.
/// </summary>
public sealed record RoutingProfiles(ProfileDefinition Decode, ProfileDefinition Prefill)
{
    /// <summary>The router's defaults: health filter; prefix-cache ×2 (decode) or ×1 (prefill) and least-load ×1; max-score.</summary>
    public const string PrefixAwareName = "prefix-aware";

    /// <summary>Health filter, least-load ×1, max-score: load only.</summary>
    public const string LeastLoadName = "least-load";

    /// <summary>Health filter, then the round-robin picker.</summary>
    public const string RoundRobinName = "round-robin";

    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [PrefixAwareName, LeastLoadName, RoundRobinName];

    /// <summary>The router's default profiles (<c>Router:Scheduling</c> unset).</summary>
    public static RoutingProfiles PrefixAware { get; } =
        new(SchedulingConfigReader.Default(SchedulingConfigReader.Decode), SchedulingConfigReader.Default(SchedulingConfigReader.Prefill));

    /// <summary>Load only: what the router runs with the prefix-cache scorers at weight 0.</summary>
    public static RoutingProfiles LeastLoad { get; } = Weighted(0, 1, 0, 1);

    /// <summary>Candidates in turn, ignoring load and cache.</summary>
    public static RoutingProfiles RoundRobin { get; } = new(
        new ProfileDefinition(SchedulingConfigReader.Decode, [Plugin("health")], [], Plugin("round-robin")),
        new ProfileDefinition(SchedulingConfigReader.Prefill, [Plugin("health")], [], Plugin("round-robin")));

    /// <summary>The preset <paramref name="name"/> (case-insensitive), or false when there is none of that name.</summary>
    public static bool TryGet(string? name, out RoutingProfiles profiles)
    {
        var key = name?.Trim() ?? "";
        profiles = key.ToLowerInvariant() switch
        {
            PrefixAwareName => PrefixAware,
            LeastLoadName => LeastLoad,
            RoundRobinName => RoundRobin,
            _ => null!,
        };
        return profiles is not null;
    }

    /// <summary>
    /// The router's default plugins with the given scorer weights (each ≥ 0): health filter, prefix-cache and least-load
    /// scorers, max-score picker, per profile.
    /// </summary>
    public static RoutingProfiles Weighted(double decodePrefixCache, double decodeLeastLoad, double prefillPrefixCache, double prefillLeastLoad) => new(
        Profile(SchedulingConfigReader.Decode, decodePrefixCache, decodeLeastLoad),
        Profile(SchedulingConfigReader.Prefill, prefillPrefixCache, prefillLeastLoad));

    private static ProfileDefinition Profile(string name, double prefixCache, double leastLoad)
    {
        foreach (var (scorer, weight) in new[] { ("prefix-cache", prefixCache), ("least-load", leastLoad) })
            if (!(weight >= 0) || !double.IsFinite(weight))
                throw new ArgumentOutOfRangeException(nameof(prefixCache), weight, $"The {name} profile's {scorer} weight must be a number ≥ 0.");
        return new ProfileDefinition(
            name,
            [Plugin("health")],
            [new ScorerReference("prefix-cache", prefixCache, Plugin("prefix-cache")), new ScorerReference("least-load", leastLoad, Plugin("least-load"))],
            Plugin("max-score"));
    }

    private static PluginReference Plugin(string name) => new(name, Empty);
}
