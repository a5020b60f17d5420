using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;
using DisaggServing.Topology.Preflight;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// The topology resolved and checked at model-build time, once per builder and topology: its
/// <see cref="ResolvedTopology"/> (NodePools and placement, planned once for every pool and replica added), and every
/// rule of <see cref="TopologyPreflight"/> over it; an error fails the AppHost with a
/// <see cref="DistributedApplicationException"/> listing each finding (pool, rule and fix), warnings are logged when the
/// app starts.
/// </summary>
internal static class TopologyValidation
{
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, Dictionary<TopologySpec, ResolvedTopology>> Validated = [];

    public static ResolvedTopology Ensure(IDistributedApplicationBuilder builder, TopologySpec topology)
    {
        var seen = Validated.GetValue(builder, _ => new Dictionary<TopologySpec, ResolvedTopology>(ReferenceEqualityComparer.Instance));
        lock (seen)
        {
            if (seen.TryGetValue(topology, out var known)) return known;
            var resolved = ResolvedTopology.Resolve(topology);
            var report = TopologyPreflight.Run(resolved);
            if (report.HasErrors) throw new DistributedApplicationException(Describe(topology, report));
            CheckLocal(topology.Local);
            seen.Add(topology, resolved);
            var warnings = report.Warnings.ToList();
            if (warnings.Count == 0) return resolved;
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DisaggServing.Preflight");
                foreach (var warning in warnings) logger.LogWarning("{Finding}", warning);
                return Task.CompletedTask;
            });
            return resolved;
        }
    }

    /// <summary>The message of a failed preflight: one finding per line, then where settings are changed.</summary>
    public static string Describe(TopologySpec topology, PreflightReport report)
    {
        var errors = report.Errors.ToList();
        return $"Topology '{topology.Name}' failed preflight with {errors.Count} error{(errors.Count == 1 ? "" : "s")}:\n"
            + string.Join("\n", errors.Select(e => "  " + e))
            + $"\nChange the {TopologyConfiguration.SectionName} settings (appsettings.json, or e.g. --{TopologyConfiguration.SectionName}:Pools:0:TensorParallel=4 on the command line) and try again.";
    }

    private static void CheckLocal(LocalSettings local)
    {
        const string prefix = TopologyConfiguration.SectionName + ":Local:";
        if (local.KvPayloadScale is not (> 0 and <= 1))
            throw new DistributedApplicationException($"{prefix}KvPayloadScale is {local.KvPayloadScale}; give a fraction in (0, 1], e.g. 0.00048828125 (1/2048).");
        if (local.SpeedFactor is not > 0)
            throw new DistributedApplicationException($"{prefix}SpeedFactor is {local.SpeedFactor}; give a positive factor (1 = the modelled GPU's speed).");
    }
}
