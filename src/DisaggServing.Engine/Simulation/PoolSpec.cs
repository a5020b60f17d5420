using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Simulation;

/// <summary>A pool of identical engine replicas.</summary>
/// <param name="Engine">What each replica runs.</param>
/// <param name="Replicas">How many replicas.</param>
public sealed record PoolSpec(EngineSpec Engine, int Replicas)
{
    /// <summary>Parses the CLI form <c>N:TP</c> (replicas and tensor parallelism) against a base engine.</summary>
    public static PoolSpec Parse(string text, EngineSpec baseEngine, string field)
    {
        ArgumentNullException.ThrowIfNull(baseEngine);
        var parts = (text ?? "").Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var replicas) || !int.TryParse(parts[1], out var tp))
            throw new InputException($"{field} '{text}' is not N:TP (replicas:tensor-parallel), e.g. 4:2.");
        if (replicas < 1) throw new InputException($"{field} '{text}': replicas must be at least 1.");
        if (tp < 1) throw new InputException($"{field} '{text}': TP must be at least 1.");
        try
        {
            return new PoolSpec((baseEngine with { TensorParallel = tp }).Validate(), replicas);
        }
        catch (InputException e)
        {
            throw new InputException($"{field} '{text}': {e.Message}", e);
        }
    }

    /// <summary>GPUs the pool occupies.</summary>
    public int Gpus => Replicas * Engine.GpusPerReplica;

    /// <summary>
    /// The node of each replica (its leader's), as the topology's placement puts it; replicas on one node move KV
    /// over NVLink. Null: no replica shares a node with the other role's (each role on nodes of its own, as per-role
    /// NodePools place them on EKS), so KV always crosses EFA.
    /// </summary>
    public IReadOnlyList<int>? Nodes { get; init; }
}
