namespace DisaggServing.Worker.Kv;

/// <summary>How a KV pull went.</summary>
/// <param name="Success">Every block arrived and verified.</param>
/// <param name="Error">Why not, when it failed.</param>
/// <param name="Blocks">Blocks pulled and verified.</param>
/// <param name="RealBytes">KV bytes those blocks stand for (unscaled).</param>
/// <param name="PayloadBytes">Bytes actually moved.</param>
/// <param name="Duration">Copy plus simulated link time, on the engine clock.</param>
public sealed record KvPullResult(bool Success, string? Error, int Blocks, long RealBytes, long PayloadBytes, TimeSpan Duration)
{
    public static KvPullResult Failed(string error, TimeSpan duration = default) => new(false, error, 0, 0, 0, duration);
}
