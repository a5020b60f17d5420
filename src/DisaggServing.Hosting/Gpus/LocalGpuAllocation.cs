namespace DisaggServing.Hosting.Gpus;

/// <summary>Which GPUs of this machine each pod of each replica gets: disjoint, every pod's own.</summary>
public sealed class LocalGpuAllocation
{
    private readonly Dictionary<(string Replica, int Rank), IReadOnlyList<LocalGpu>> _byPod;

    internal LocalGpuAllocation(Dictionary<(string Replica, int Rank), IReadOnlyList<LocalGpu>> byPod) => _byPod = byPod;

    /// <summary>The GPUs of pipeline rank <paramref name="rank"/> of replica <paramref name="replica"/> (e.g. <c>prefill-0</c>).</summary>
    public IReadOnlyList<LocalGpu> For(string replica, int rank = 0) =>
        _byPod.TryGetValue((replica, rank), out var gpus) ? gpus : throw new KeyNotFoundException($"No GPUs were allocated to {replica} rank {rank}.");

    /// <summary>Every allocated GPU.</summary>
    public IEnumerable<LocalGpu> All => _byPod.Values.SelectMany(g => g);
}
