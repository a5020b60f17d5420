using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling.Configuration;

/// <summary>
/// Reads <c>Router:Scheduling:Profiles:{decode|prefill}</c>. A plugin is given as a name (<c>Filters:0=health</c>) or
/// as an object (<c>Scorers:0:Name=least-load</c>, <c>Scorers:0:Weight=2</c>, <c>Scorers:0:Parameters:...</c>).
/// A profile that is not configured gets its default; a configured one replaces the default whole.
/// </summary>
public static class SchedulingConfigReader
{
    /// <summary>The decode profile's name.</summary>
    public const string Decode = "decode";

    /// <summary>The prefill profile's name.</summary>
    public const string Prefill = "prefill";

    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    /// <summary>The profile <paramref name="name"/> from <paramref name="scheduling"/> (the Router:Scheduling section).</summary>
    public static ProfileDefinition Read(IConfiguration scheduling, string name)
    {
        var section = scheduling.GetSection("Profiles").GetSection(name);
        if (!section.Exists()) return Default(name);
        var filters = new List<PluginReference>();
        foreach (var child in section.GetSection("Filters").GetChildren())
            filters.Add(ReadPlugin(child, $"{name}.Filters"));
        var scorers = new List<ScorerReference>();
        foreach (var child in section.GetSection("Scorers").GetChildren())
        {
            var plugin = ReadPlugin(child, $"{name}.Scorers");
            var weightText = child.Value is null ? child["Weight"] : null;
            var weight = 1.0;
            if (weightText is not null && (!double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || weight < 0 || !double.IsFinite(weight)))
                throw new InvalidOperationException($"Router:Scheduling:Profiles:{name}: scorer '{plugin.Name}' has weight '{weightText}'; give a number ≥ 0.");
            scorers.Add(new ScorerReference(plugin.Name, weight, plugin));
        }
        var pickerSection = section.GetSection("Picker");
        var picker = pickerSection.Exists() ? ReadPlugin(pickerSection, $"{name}.Picker") : new PluginReference("max-score", Empty);
        return new ProfileDefinition(name, filters, scorers, picker);
    }

    /// <summary>
    /// Defaults: both profiles filter with <c>health</c> and pick with <c>max-score</c>; decode scores
    /// <c>prefix-cache</c> ×2 and <c>least-load</c> ×1, prefill <c>prefix-cache</c> ×1 and <c>least-load</c> ×1.
    /// </summary>
    public static ProfileDefinition Default(string name)
    {
        var prefixWeight = name == Decode ? 2.0 : 1.0;
        return new ProfileDefinition(
            name,
            [new PluginReference("health", Empty)],
            [new ScorerReference("prefix-cache", prefixWeight, new PluginReference("prefix-cache", Empty)),
             new ScorerReference("least-load", 1.0, new PluginReference("least-load", Empty))],
            new PluginReference("max-score", Empty));
    }

    private static PluginReference ReadPlugin(IConfigurationSection section, string where)
    {
        var name = section.Value ?? section["Name"];
        if (string.IsNullOrWhiteSpace(name))
            throw new InvalidOperationException($"Router:Scheduling:Profiles:{where}:{section.Key} names no plugin; set it to a plugin name or give it a Name.");
        var parameters = section.Value is null ? section.GetSection("Parameters") : Empty;
        return new PluginReference(name.Trim(), parameters);
    }
}
