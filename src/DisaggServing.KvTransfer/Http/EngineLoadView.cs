namespace DisaggServing.KvTransfer.Http;

/// <summary>An engine's load in <c>GET /engines</c>.</summary>
public sealed record EngineLoadView(int Waiting, int Running, double KvUsage, int OpenLeases);
