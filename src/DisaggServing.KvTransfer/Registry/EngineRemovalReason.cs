namespace DisaggServing.KvTransfer.Registry;

/// <summary>Why an engine left the registry.</summary>
public enum EngineRemovalReason
{
    /// <summary>The engine deregistered.</summary>
    Deregistered,

    /// <summary>It missed its heartbeats past the expiry.</summary>
    Expired,
}
