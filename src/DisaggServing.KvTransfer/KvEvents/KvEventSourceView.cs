namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>One subscription as <c>GET /kv-events</c> shows it.</summary>
/// <param name="EngineId">The engine id (HTTP authority).</param>
/// <param name="Endpoint">The ZMQ PUB endpoint.</param>
/// <param name="ReplayEndpoint">The replay endpoint, if any.</param>
/// <param name="Role">The configured role, if any.</param>
/// <param name="Origin">"config" or the dns:/// entry.</param>
/// <param name="Stats">Ingest counters, as of the call.</param>
public sealed record KvEventSourceView(string EngineId, string Endpoint, string? ReplayEndpoint, string? Role, string Origin, KvEventIngestStats Stats);
