using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Planning;

/// <summary>One pool of a planned cluster: how many replicas, each of how many GPUs (tensor parallel).</summary>
public sealed record PlanPool(
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("tp")] int Tp)
{
    /// <summary>GPUs the pool occupies.</summary>
    [JsonIgnore]
    public int Gpus => Replicas * Tp;

    /// <summary>Whole nodes of <paramref name="gpusPerNode"/> GPUs the pool takes on a NodePool of its own (TP divides a node).</summary>
    public int Nodes(int gpusPerNode) => (Gpus + gpusPerNode - 1) / gpusPerNode;

    /// <summary>The CLI form, <c>replicas:TP</c>.</summary>
    public override string ToString() => $"{Replicas}:{Tp}";
}
