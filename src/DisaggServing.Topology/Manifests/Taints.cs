using DisaggServing.Engine;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>Node taints and pod tolerations of engine pods, shared by the builders and the preflight rule that compares them.</summary>
internal static class Taints
{
    /// <summary>Label and taint key that separates GPU nodes by role (the seed's and llm-d's).</summary>
    public const string RoleKey = "llm-d-role";

    /// <summary>The NVIDIA device plugin's resource, also the taint GPU AMIs and Auto Mode put on GPU nodes.</summary>
    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The taints a NodePool puts on its nodes: the role taint, then the extra ones.</summary>
    public static List<V1Taint> OfNodePool(ResolvedNodePool nodePool) =>
        [new V1Taint { Key = RoleKey, Value = nodePool.RoleName, Effect = "NoSchedule" }, .. nodePool.Settings.Taints.Select(ParseTaint)];

    /// <summary>What engine pods of <paramref name="pool"/> tolerate: GPU nodes, their role's taint, and the extra ones.</summary>
    public static List<V1Toleration> OfPool(TopologyPool pool) =>
    [
        new V1Toleration { Key = GpuResource, OperatorProperty = "Exists", Effect = "NoSchedule" },
        new V1Toleration { Key = RoleKey, OperatorProperty = "Equal", Value = pool.RoleName, Effect = "NoSchedule" },
        .. pool.Tolerations.Select(ParseToleration),
    ];

    /// <summary>Kubernetes' matching: same key (or an empty key with Exists), value equal unless Exists, effect equal unless empty.</summary>
    public static bool Tolerates(IEnumerable<V1Toleration> tolerations, V1Taint taint) =>
        tolerations.Any(t =>
            (string.IsNullOrEmpty(t.Key) ? t.OperatorProperty == "Exists" : t.Key == taint.Key)
            && (t.OperatorProperty == "Exists" || (t.Value ?? "") == (taint.Value ?? ""))
            && (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect));

    /// <summary>Parses <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    public static V1Taint ParseTaint(string text)
    {
        var (key, value, effect) = Split(text);
        if (effect is null) throw new InputException($"Taint '{text}' has no effect; write key=value:NoSchedule (or PreferNoSchedule, NoExecute).");
        return new V1Taint { Key = key, Value = value, Effect = effect };
    }

    /// <summary>Parses <c>key=value:Effect</c>, <c>key:Effect</c> or <c>key</c>: Equal with a value, Exists without.</summary>
    public static V1Toleration ParseToleration(string text)
    {
        var (key, value, effect) = Split(text);
        return new V1Toleration { Key = key, OperatorProperty = value is null ? "Exists" : "Equal", Value = value, Effect = effect };
    }

    private static (string Key, string? Value, string? Effect) Split(string text)
    {
        var colon = text.LastIndexOf(':');
        var effect = colon >= 0 ? text[(colon + 1)..].Trim() : null;
        if (effect is not (null or "NoSchedule" or "PreferNoSchedule" or "NoExecute"))
            throw new InputException($"'{text}': effect '{effect}' is not NoSchedule, PreferNoSchedule or NoExecute.");
        var keyValue = colon >= 0 ? text[..colon] : text;
        var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
        return eq >= 0 ? (keyValue[..eq].Trim(), keyValue[(eq + 1)..].Trim(), effect) : (keyValue.Trim(), null, effect);
    }
}
