using DisaggServing.Router.Configuration;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Scheduling;

/// <summary>What a plugin factory gets: the plugin's parameters, the router options and the clock.</summary>
public sealed record PluginFactoryContext(IConfiguration Parameters, RouterOptions Options, TimeProvider Time);
