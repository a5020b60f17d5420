using DisaggServing.Engine;
using DisaggServing.Topology;
using DisaggServing.Topology.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Aspire.Hosting;

/// <summary>Reads a <see cref="TopologySpec"/> from the AppHost's configuration.</summary>
public static class TopologyConfigurationExtensions
{
    /// <summary>The reference topology used when <c>Topology:Reference</c> is not set.</summary>
    public const string DefaultReference = "local-70b";

    /// <summary>The key naming the reference topology: <c>Topology:Reference</c>.</summary>
    public const string ReferenceKey = TopologyConfiguration.SectionName + ":Reference";

    /// <summary>
    /// Binds the <c>Topology</c> configuration section. <c>Topology:Reference</c> (default
    /// <paramref name="defaultReference"/>; empty for none) names a reference topology whose values become the
    /// lowest-priority configuration source, so appsettings.json, environment variables (<c>Topology__Pools__1__Replicas</c>)
    /// and the command line (<c>--Topology:Pools:1:Replicas=3</c>) override single fields of it, in run and publish alike.
    /// <c>Topology:File</c> names a JSON or YAML topology file (what <c>disagg plan --out</c> writes): its settings sit
    /// above the reference and below every other source, and with a file the reference applies only when set
    /// explicitly (a reference's extra pools would otherwise merge into the file's).
    /// An unknown reference, a value of the wrong type or a key that is no topology setting fails with a
    /// <see cref="DistributedApplicationException"/> naming it.
    /// </summary>
    public static TopologySpec BindTopology(this IDistributedApplicationBuilder builder, string defaultReference = DefaultReference)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var file = builder.Configuration[TopologyFile.FileKey];
        var name = builder.Configuration[ReferenceKey] ?? (string.IsNullOrWhiteSpace(file) ? defaultReference : null);
        if (!string.IsNullOrWhiteSpace(file))
        {
            try
            {
                // Relative to the working directory, else to the AppHost's directory (where `dotnet run --project` may not start).
                if (!Path.IsPathRooted(file) && !File.Exists(file) && File.Exists(Path.Combine(builder.AppHostDirectory, file)))
                    file = Path.Combine(builder.AppHostDirectory, file);
                builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = TopologyFile.Read(file) });
            }
            catch (InputException e)
            {
                throw new DistributedApplicationException($"{TopologyFile.FileKey}: {e.Message}", e);
            }
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            TopologySpec reference;
            try
            {
                reference = ReferenceTopologies.Get(name);
            }
            catch (InputException e)
            {
                throw new DistributedApplicationException($"{ReferenceKey}: {e.Message}", e);
            }

            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = TopologyConfiguration.ToKeyValues(reference) });
        }

        var section = builder.Configuration.GetSection(TopologyConfiguration.SectionName);
        var spec = new TopologySpec();
        try
        {
            section.Bind(spec);
        }
        catch (InvalidOperationException e)
        {
            throw new DistributedApplicationException($"The {TopologyConfiguration.SectionName} configuration does not bind: {e.Message}", e);
        }

        // The binder skips keys it does not know; a mistyped override would silently do nothing.
        var known = TopologyConfiguration.ToKeyValues(spec).Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = section.AsEnumerable()
            .Where(p => p.Value is not null && !known.Contains(p.Key) && !string.Equals(p.Key, ReferenceKey, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(p.Key, TopologyFile.FileKey, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new DistributedApplicationException(
                $"{string.Join(", ", unknown)}: no such topology setting. Settings are {ReferenceKey}, {TopologyFile.FileKey} and the properties of TopologySpec, e.g. "
                + "Topology:Pools:0:Replicas, Topology:Pools:1:TensorParallel, Topology:Router:Port, Topology:Local:SpeedFactor, Topology:Eks:NodeClassKind.");
        }

        return spec;
    }
}
