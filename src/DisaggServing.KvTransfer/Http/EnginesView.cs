namespace DisaggServing.KvTransfer.Http;

/// <summary>The body of <c>GET /engines</c>.</summary>
public sealed record EnginesView(IReadOnlyList<EngineView> Engines);
