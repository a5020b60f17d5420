using DisaggServing.Engine;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Topology;

/// <summary>
/// Weights of the router's scorers in its decode and prefill profiles (<c>Topology:Router:Scorers</c>), written into
/// the router's <c>Router:Scheduling:Profiles</c> and used by <c>disagg simulate --topology</c>. Each profile keeps the
/// router's health filter and max-score picker; a weight of 0 turns a scorer off (0 on both prefix-cache scorers is
/// load-only routing).
/// </summary>
public sealed class RouterScorerWeights
{
    /// <summary>The decode profile's prefix-cache scorer (router default 2).</summary>
    public double DecodePrefixCache { get; set; } = 2;

    /// <summary>The decode profile's least-load scorer (router default 1).</summary>
    public double DecodeLeastLoad { get; set; } = 1;

    /// <summary>The prefill profile's prefix-cache scorer (router default 1).</summary>
    public double PrefillPrefixCache { get; set; } = 1;

    /// <summary>The prefill profile's least-load scorer (router default 1).</summary>
    public double PrefillLeastLoad { get; set; } = 1;

    /// <summary>The profiles these weights give; an <see cref="InputException"/> naming the key when a weight is negative or not a number.</summary>
    public RoutingProfiles ToProfiles()
    {
        foreach (var (key, weight) in new[] { (nameof(DecodePrefixCache), DecodePrefixCache), (nameof(DecodeLeastLoad), DecodeLeastLoad),
                     (nameof(PrefillPrefixCache), PrefillPrefixCache), (nameof(PrefillLeastLoad), PrefillLeastLoad) })
            if (!(weight >= 0) || !double.IsFinite(weight))
                throw new InputException($"Topology:Router:Scorers:{key} is {weight}; give a weight of 0 or more.");
        return RoutingProfiles.Weighted(DecodePrefixCache, DecodeLeastLoad, PrefillPrefixCache, PrefillLeastLoad);
    }
}
