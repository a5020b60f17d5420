using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling.Configuration;

/// <summary>A plugin by name with its <c>Parameters</c> section (empty when none).</summary>
public sealed record PluginReference(string Name, IConfiguration Parameters);
