using DisaggServing.Scheduling.Configuration;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling;

/// <summary>What a plugin factory gets: the plugin's parameters, the host's scheduling options and the clock.</summary>
public sealed record PluginFactoryContext(IConfiguration Parameters, SchedulingOptions Options, TimeProvider Time);
