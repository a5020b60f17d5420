namespace DisaggServing.Topology.Manifests;

/// <summary>Kubernetes recommended labels (app.kubernetes.io/*) plus llm-d's role label.</summary>
internal static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Version = "app.kubernetes.io/version";
    public const string Role = "llm-d.ai/role";
    public const string ManagedByValue = "disagg";

    /// <summary>Labels of objects that belong to the topology as a whole (Namespace, NodePools).</summary>
    public static Dictionary<string, string> ForTopology(TopologySpec spec) => With(spec.Eks.Labels, new()
    {
        [PartOf] = spec.Name,
        [ManagedBy] = ManagedByValue,
    });

    /// <summary>Labels of one app's objects and pods; <paramref name="role"/> only for engines.</summary>
    public static Dictionary<string, string> ForApp(TopologySpec spec, string app, string instance, string component, string image, PoolRole? role = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Name] = app,
            [Instance] = instance,
            [Component] = component,
            [PartOf] = spec.Name,
            [ManagedBy] = ManagedByValue,
        };
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/')) labels[Version] = image[(colon + 1)..];
        if (role is { } r) labels[Role] = r.ToString().ToLowerInvariant();
        return With(spec.Eks.Labels, labels);
    }

    /// <summary>The labels a workload selects its pods by (stable across upgrades: no version).</summary>
    public static Dictionary<string, string> Selector(IReadOnlyDictionary<string, string> labels) => new()
    {
        [Name] = labels[Name],
        [Instance] = labels[Instance],
    };

    private static Dictionary<string, string> With(Dictionary<string, string> extra, Dictionary<string, string> labels)
    {
        foreach (var (key, value) in extra.OrderBy(e => e.Key, StringComparer.Ordinal)) labels.TryAdd(key, value);
        return labels;
    }
}
