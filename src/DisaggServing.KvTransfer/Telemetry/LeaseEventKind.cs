namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>What happened to a prefill's KV lease.</summary>
public enum LeaseEventKind
{
    /// <summary>Prefill kept the blocks for a decode to pull.</summary>
    Granted,

    /// <summary>The puller extended the lease.</summary>
    Extended,

    /// <summary>Decode pulled the blocks (or the request ended) and the blocks were freed.</summary>
    Released,

    /// <summary>Nobody pulled in time; the blocks were freed.</summary>
    Expired,
}
