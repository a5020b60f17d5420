namespace DisaggServing.Scheduling.Configuration;

/// <summary>One scheduling profile as configured: filters, weighted scorers, picker.</summary>
public sealed record ProfileDefinition(
    string Name, IReadOnlyList<PluginReference> Filters, IReadOnlyList<ScorerReference> Scorers, PluginReference Picker);
