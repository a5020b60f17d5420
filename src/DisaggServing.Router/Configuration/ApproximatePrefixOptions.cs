namespace DisaggServing.Router.Configuration;

/// <summary>
/// <c>Router:ApproximatePrefix</c>: the prefix estimate built from the router's own routing history, used per engine
/// only when that engine's KV events do not reach the KV index (as llm-d's approximate prefix scorer and Dynamo's
/// approximate KV indexer do).
/// </summary>
public sealed class ApproximatePrefixOptions
{
    /// <summary>Keep the routing history and use it for engines without KV events (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Blocks remembered per engine, least recently routed dropped first (default 31250, llm-d's LRU size).</summary>
    public int BlocksPerEngine { get; set; } = 31_250;

    /// <summary>Seconds a routed block is assumed to stay cached (default 120, Dynamo's approximate-indexer TTL).</summary>
    public double TtlSeconds { get; set; } = 120;
}
