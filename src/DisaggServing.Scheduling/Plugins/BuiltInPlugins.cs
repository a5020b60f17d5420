using DisaggServing.Scheduling.Plugins.Health;
using DisaggServing.Scheduling.Plugins.LeastLoad;
using DisaggServing.Scheduling.Plugins.MaxScore;
using DisaggServing.Scheduling.Plugins.PrefixCache;
using DisaggServing.Scheduling.Plugins.RoundRobin;

namespace DisaggServing.Scheduling.Plugins;

/// <summary>The plugins that ship with the router.</summary>
public static class BuiltInPlugins
{
    /// <summary>A registry with <c>health</c>, <c>least-load</c>, <c>prefix-cache</c>, <c>round-robin</c> and <c>max-score</c>.</summary>
    public static PluginRegistry CreateRegistry() => new PluginRegistry()
        .Register(HealthFilter.PluginName, HealthFilter.Create)
        .Register(LeastLoadScorer.PluginName, LeastLoadScorer.Create)
        .Register(PrefixCacheScorer.PluginName, PrefixCacheScorer.Create)
        .Register(RoundRobinPicker.PluginName, _ => new RoundRobinPicker())
        .Register(MaxScorePicker.PluginName, _ => new MaxScorePicker());
}
