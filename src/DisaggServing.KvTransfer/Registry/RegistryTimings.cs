namespace DisaggServing.KvTransfer.Registry;

/// <summary>How often engines must heartbeat, and how long the registry waits before dropping a silent one.</summary>
public sealed record RegistryTimings
{
    /// <summary>Creates timings; <paramref name="expiry"/> must exceed <paramref name="heartbeatInterval"/>.</summary>
    public RegistryTimings(TimeSpan heartbeatInterval, TimeSpan expiry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, heartbeatInterval);
        HeartbeatInterval = heartbeatInterval;
        Expiry = expiry;
    }

    /// <summary>2 s heartbeats, dropped after 6 s of silence (three missed beats).</summary>
    public static RegistryTimings Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6));

    /// <summary>The interval engines are told to heartbeat at.</summary>
    public TimeSpan HeartbeatInterval { get; }

    /// <summary>Silence after which an engine is dropped from the registry and the KV index.</summary>
    public TimeSpan Expiry { get; }
}
