namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>One engine to subscribe to: its id, its publisher, and where it came from.</summary>
/// <param name="EngineId">The engine's HTTP authority (host:port).</param>
/// <param name="Endpoint">The ZMQ PUB endpoint.</param>
/// <param name="ReplayEndpoint">The replay ROUTER endpoint, if any.</param>
/// <param name="Role">prefill, decode or both, when configured.</param>
/// <param name="Origin">"config" or the dns:/// entry it was resolved from.</param>
public sealed record KvEventSource(string EngineId, string Endpoint, string? ReplayEndpoint, string? Role, string Origin);
