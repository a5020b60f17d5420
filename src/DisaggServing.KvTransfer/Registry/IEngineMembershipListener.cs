namespace DisaggServing.KvTransfer.Registry;

/// <summary>
/// Told, under the registry's lock and so in the registry's own order, when an engine joins (or re-registers) and
/// when it leaves. The KV index listens so that it only ever holds blocks of registered engines.
/// </summary>
public interface IEngineMembershipListener
{
    /// <summary>The engine registered, or registered again (a replacement starts with no indexed blocks).</summary>
    void EngineRegistered(string engineId);

    /// <summary>The engine left the registry.</summary>
    void EngineRemoved(string engineId, EngineRemovalReason reason);
}
