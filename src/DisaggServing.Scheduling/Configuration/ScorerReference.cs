namespace DisaggServing.Scheduling.Configuration;

/// <summary>A scorer in a profile: plugin name, weight, and the plugin's own parameters.</summary>
public sealed record ScorerReference(string Name, double Weight, PluginReference Plugin);
