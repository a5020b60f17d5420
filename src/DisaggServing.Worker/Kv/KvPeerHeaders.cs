namespace DisaggServing.Worker.Kv;

/// <summary>gRPC metadata the two ends of a KV pull exchange (what NIXL's handshake carries: who, where, what geometry).</summary>
public static class KvPeerHeaders
{
    public const string EngineId = "x-disagg-engine-id";
    public const string Node = "x-disagg-node";
    public const string Model = "x-disagg-model";
    public const string BlockSize = "x-disagg-block-size";

    /// <summary>Real KV bytes of one block on the serving engine.</summary>
    public const string BlockBytes = "x-disagg-block-bytes";

    /// <summary>Payload bytes per block actually sent.</summary>
    public const string PayloadBytes = "x-disagg-payload-bytes";

    /// <summary>The serving end's injected link slowdown, applied to the simulated transfer time.</summary>
    public const string LinkSlowdown = "x-disagg-link-slowdown";
}
