using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Engine;
using YamlDotNet.RepresentationModel;

namespace DisaggServing.Topology.Files;

/// <summary>
/// A topology as a JSON or YAML file: the properties of <see cref="TopologySpec"/> at the top level (<c>Name</c>,
/// <c>Pools</c>, <c>Router</c>, <c>Eks</c>…), lists as arrays. Hosts read it as configuration keys under
/// <c>Topology:</c> (the AppHost with <c>--Topology:File=FILE</c>, <c>disagg simulate --topology FILE</c>) and bind a
/// <see cref="TopologySpec"/> from them, so a file and command-line overrides combine as any configuration does.
/// </summary>
public static class TopologyFile
{
    /// <summary>The configuration key naming a topology file: <c>Topology:File</c>.</summary>
    public const string FileKey = TopologyConfiguration.SectionName + ":File";

    /// <summary>True when <paramref name="path"/> names a YAML file (by extension); JSON otherwise.</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The file's settings as configuration keys under <paramref name="prefix"/> (<c>Topology:Pools:0:Replicas</c>);
    /// an <see cref="InputException"/> naming the file when it cannot be read or parsed.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Read(string path, string prefix = TopologyConfiguration.SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InputException($"Cannot read topology file '{path}': {e.Message}", e);
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        try
        {
            if (IsYaml(path)) FlattenYaml(text, prefix, pairs);
            else FlattenJson(JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }), prefix, pairs);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new InputException($"Topology file '{path}' is not valid {(IsYaml(path) ? "YAML" : "JSON")}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"Topology file '{path}': {e.Message}", e);
        }

        return pairs;
    }

    /// <summary>Writes <paramref name="spec"/> to <paramref name="path"/>: every setting, as JSON (or YAML by extension).</summary>
    public static void Write(TopologySpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, IsYaml(path) ? ToYaml(spec) : ToJson(spec));
    }

    /// <summary>Every setting of <paramref name="spec"/> as indented JSON.</summary>
    public static string ToJson(TopologySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ToNode(spec)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    /// <summary>Every setting of <paramref name="spec"/> as YAML.</summary>
    public static string ToYaml(TopologySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var document = new YamlDocument(ToYaml(ToNode(spec)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(document).Save(writer, assignAnchors: false);
        var yaml = writer.ToString();
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
    }

    /// <summary>The spec's configuration keys folded back into a tree: numbered children become arrays.</summary>
    private static JsonNode? ToNode(TopologySpec spec)
    {
        var root = new SortedTree();
        var prefix = TopologyConfiguration.SectionName + ":";
        foreach (var (key, value) in TopologyConfiguration.ToKeyValues(spec))
            root.Add(key[prefix.Length..].Split(':'), value);
        return root.ToNode();
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(ToYaml)),
        JsonValue v when v.TryGetValue<string>(out var s) => new YamlScalarNode(s) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted },
        null => new YamlScalarNode(""),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    private static void FlattenJson(JsonNode? node, string key, List<KeyValuePair<string, string?>> pairs)
    {
        switch (node)
        {
            case null:
                pairs.Add(new(key, null));
                return;
            case JsonObject o:
                foreach (var (name, child) in o) FlattenJson(child, $"{key}:{name}", pairs);
                return;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) FlattenJson(a[i], $"{key}:{i}", pairs);
                return;
            case JsonValue v:
                pairs.Add(new(key, v.GetValueKind() switch
                {
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => v.ToJsonString(),
                }));
                return;
        }
    }

    private static void FlattenYaml(string text, string prefix, List<KeyValuePair<string, string?>> pairs)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0) return;
        if (stream.Documents.Count > 1) throw new InvalidOperationException("holds several YAML documents; give one topology.");
        FlattenYaml(stream.Documents[0].RootNode, prefix, pairs);
    }

    private static void FlattenYaml(YamlNode node, string key, List<KeyValuePair<string, string?>> pairs)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (name, child) in map.Children) FlattenYaml(child, $"{key}:{((YamlScalarNode)name).Value}", pairs);
                return;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++) FlattenYaml(list.Children[i], $"{key}:{i}", pairs);
                return;
            case YamlScalarNode scalar:
                pairs.Add(new(key, scalar.Value));
                return;
            default:
                throw new InvalidOperationException($"{key}: anchors and aliases are not supported.");
        }
    }

    /// <summary>Configuration keys as a tree, children in first-seen order.</summary>
    private sealed class SortedTree
    {
        private readonly List<(string Name, SortedTree Child)> _children = [];
        private string? _value;

        public void Add(ReadOnlySpan<string> path, string? value)
        {
            if (path.Length == 0)
            {
                _value = value;
                return;
            }
            var name = path[0];
            var index = _children.FindIndex(c => c.Name == name);
            if (index < 0)
            {
                _children.Add((name, new SortedTree()));
                index = _children.Count - 1;
            }
            _children[index].Child.Add(path[1..], value);
        }

        public JsonNode? ToNode()
        {
            if (_children.Count == 0) return Scalar(_value);
            var numbered = _children.Select((c, i) => c.Name == i.ToString(CultureInfo.InvariantCulture)).All(b => b);
            if (numbered) return new JsonArray([.. _children.Select(c => c.Child.ToNode())]);
            var o = new JsonObject();
            foreach (var (name, child) in _children) o[name] = child.ToNode();
            return o;
        }

        // Numbers and booleans as JSON literals, for readers; everything binds from its text either way.
        private static JsonNode? Scalar(string? value)
        {
            if (value is null) return null;
            if (value is "True" or "False") return JsonValue.Create(value == "True");
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && !value.Contains('e', StringComparison.OrdinalIgnoreCase)) return JsonValue.Create(d);
            return JsonValue.Create(value);
        }
    }
}
