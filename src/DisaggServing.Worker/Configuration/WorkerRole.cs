namespace DisaggServing.Worker.Configuration;

/// <summary>What this engine serves in P/D disaggregation.</summary>
public enum WorkerRole
{
    /// <summary>Prefill for remote decoders (and ordinary requests).</summary>
    Prefill,

    /// <summary>Decode with remote KV (and ordinary requests).</summary>
    Decode,

    /// <summary>Either side, and ordinary requests.</summary>
    Both,
}
