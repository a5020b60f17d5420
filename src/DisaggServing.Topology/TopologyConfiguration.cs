using System.Collections;
using System.Globalization;
using System.Reflection;

namespace DisaggServing.Topology;

/// <summary>
/// A topology as configuration keys (<c>Topology:Pools:0:Replicas</c> = <c>2</c>). Hosts add these as the lowest
/// configuration source and bind a fresh <see cref="TopologySpec"/> from the merged section, so command-line and
/// appsettings overrides replace single fields of a reference topology (binding onto a filled object would append
/// to its lists instead).
/// </summary>
public static class TopologyConfiguration
{
    /// <summary>The configuration section name hosts use.</summary>
    public const string SectionName = "Topology";

    /// <summary>Every settable value of <paramref name="spec"/>, keyed under <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> ToKeyValues(TopologySpec spec, string prefix = SectionName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pairs = new List<KeyValuePair<string, string?>>();
        Flatten(spec, prefix, pairs);
        return pairs;
    }

    private static void Flatten(object value, string key, List<KeyValuePair<string, string?>> pairs)
    {
        switch (value)
        {
            case string or bool or Enum or IFormattable:
                pairs.Add(new(key, Convert.ToString(value, CultureInfo.InvariantCulture)));
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is not null) Flatten(entry.Value, $"{key}:{entry.Key}", pairs);
                }

                return;
            case IEnumerable list:
                var i = 0;
                foreach (var item in list) Flatten(item!, $"{key}:{i++}", pairs);
                return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            if (property.GetValue(value) is { } child) Flatten(child, $"{key}:{property.Name}", pairs);
        }
    }
}
