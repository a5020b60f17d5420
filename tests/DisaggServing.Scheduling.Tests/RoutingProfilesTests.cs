using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling.Plugins;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling.Tests;

public class RoutingProfilesTests
{
    [Fact]
    public void Prefix_aware_is_the_router_default_and_presets_are_found_by_name()
    {
        var empty = new ConfigurationBuilder().Build();
        var defaults = RoutingProfiles.PrefixAware;
        Assert.Equal(Describe(SchedulingConfigReader.Read(empty, "decode")), Describe(defaults.Decode));
        Assert.Equal(Describe(SchedulingConfigReader.Read(empty, "prefill")), Describe(defaults.Prefill));
        Assert.True(RoutingProfiles.TryGet(" Least-Load ", out var leastLoad));
        Assert.Same(RoutingProfiles.LeastLoad, leastLoad);
        Assert.True(RoutingProfiles.TryGet("round-robin", out var roundRobin));
        Assert.Same(RoutingProfiles.RoundRobin, roundRobin);
        Assert.False(RoutingProfiles.TryGet("random", out _));
    }

    [Fact]
    public void Load_only_profiles_never_ask_for_prefix_matches_and_the_defaults_do()
    {
        var registry = BuiltInPlugins.CreateRegistry();
        SchedulingProfile Build(ProfileDefinition definition) => registry.Build(definition, new SchedulingOptions(), TimeProvider.System);
        Assert.False(Build(RoutingProfiles.LeastLoad.Decode).UsesPrefixMatches);
        Assert.False(Build(RoutingProfiles.RoundRobin.Prefill).UsesPrefixMatches);
        Assert.True(Build(RoutingProfiles.PrefixAware.Decode).UsesPrefixMatches);
        Assert.Equal("decode: health | prefix-cache×3, least-load×0.5 | max-score", Describe(RoutingProfiles.Weighted(3, 0.5, 1, 1).Decode));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutingProfiles.Weighted(-1, 1, 1, 1));
    }

    private static string Describe(ProfileDefinition p) =>
        $"{p.Name}: {string.Join(",", p.Filters.Select(f => f.Name))} | {string.Join(", ", p.Scorers.Select(s => $"{s.Name}×{s.Weight}"))} | {p.Picker.Name}";
}
