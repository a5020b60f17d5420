using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Topology;
using DisaggServing.Topology.Files;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>--topology FILE|NAME</c> (a topology file, as the AppHost reads with <c>--Topology:File</c> and <c>plan --out</c>
/// writes, or a reference topology; read at parse time) and <c>--set KEY=VALUE</c> overrides in the AppHost's
/// configuration form (<c>Pools:1:TensorParallel=2</c>), bound the way the AppHost binds them.
/// </summary>
internal sealed class TopologyOption
{
    private readonly Option<TopologySpec> topology =
        CliOptions.Required(CliOptions.Parsed("--topology",
            $"A topology file (JSON/YAML, as the AppHost reads with --Topology:File=FILE and plan --out writes) or a reference topology: {string.Join(", ", ReferenceTopologies.Names)}.",
            "FILE|NAME", Load));

    /// <summary>A topology file when <paramref name="text"/> names one (an existing file, or a .json/.yaml path), else a reference topology.</summary>
    public static TopologySpec Load(string text) =>
        File.Exists(text) || TopologyFile.IsYaml(text) || text.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? TopologyFileLoader.Load(text)
            : ReferenceTopologies.Get(text);

    private readonly Option<string[]> set = new("--set")
    {
        Description = "Override a topology setting, e.g. --set Pools:1:TensorParallel=2 or --set Eks:NodeClassKind=Karpenter (repeatable).",
        HelpName = "KEY=VALUE",
    };

    public void AddTo(Command command)
    {
        command.Add(topology);
        command.Add(set);
    }

    /// <summary>The chosen topology with the overrides applied; an <see cref="InputException"/> for a malformed or unbindable one.</summary>
    public TopologySpec Build(ParseResult parse)
    {
        var reference = parse.GetValue(topology)!;
        var overrides = parse.GetValue(set) ?? [];
        if (overrides.Length == 0) return reference;
        var pairs = overrides.Select(Split).ToList();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TopologyConfiguration.ToKeyValues(reference))
            .AddInMemoryCollection(pairs)
            .Build();
        var spec = new TopologySpec();
        try
        {
            configuration.GetSection(TopologyConfiguration.SectionName).Bind(spec);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"--set: {e.Message}", e);
        }

        // The binder skips keys it does not know and collection items it cannot convert; read every override back.
        var bound = TopologyConfiguration.ToKeyValues(spec).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            if (!bound.TryGetValue(key, out var actual) || !SameValue(actual, value))
                throw new InputException($"--set {key[(TopologyConfiguration.SectionName.Length + 1)..]}={value} did not apply: no such setting, or a value of the wrong type. Settings are the properties of TopologySpec, e.g. Pools:0:Replicas, Engine:VllmVersion, Eks:NodeClassKind.");
        }

        return spec;
    }

    private static bool SameValue(string? actual, string? wanted) =>
        string.Equals(actual, wanted?.Trim(), StringComparison.OrdinalIgnoreCase)
        || (double.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && double.TryParse(wanted, System.Globalization.CultureInfo.InvariantCulture, out var b) && a == b);

    private static KeyValuePair<string, string?> Split(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new InputException($"--set '{text}' is not KEY=VALUE, e.g. Pools:0:Replicas=3.");
        var key = text[..eq].Trim();
        var prefix = TopologyConfiguration.SectionName + ":";
        return new(key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? key : prefix + key, text[(eq + 1)..]);
    }
}
