using DisaggServing.Engine;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Topology.Files;

/// <summary>Binds a <see cref="TopologySpec"/> from a topology file, as the AppHost binds its <c>Topology</c> section.</summary>
public static class TopologyFileLoader
{
    /// <summary>
    /// The topology in <paramref name="path"/>; an <see cref="InputException"/> naming the file and the setting when it
    /// cannot be read, does not bind, or names a setting that does not exist.
    /// </summary>
    public static TopologySpec Load(string path)
    {
        var pairs = TopologyFile.Read(path);
        var section = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build().GetSection(TopologyConfiguration.SectionName);
        var spec = new TopologySpec();
        try
        {
            section.Bind(spec);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"Topology file '{path}' does not bind: {e.Message}", e);
        }

        // The binder skips keys it does not know; a misspelt setting would silently do nothing.
        var known = TopologyConfiguration.ToKeyValues(spec).Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = pairs.Where(p => p.Value is not null && !known.Contains(p.Key)).Select(p => p.Key[(TopologyConfiguration.SectionName.Length + 1)..]).ToList();
        if (unknown.Count > 0)
            throw new InputException($"Topology file '{path}': {string.Join(", ", unknown)}: no such topology setting. Settings are the properties of TopologySpec, e.g. Pools:0:Replicas, Router:Port, Eks:NodeClassKind.");
        return spec;
    }
}
