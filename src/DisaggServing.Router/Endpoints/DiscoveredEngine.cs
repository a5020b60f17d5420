namespace DisaggServing.Router.Endpoints;

/// <summary>An engine as the KV-transfer registry lists it.</summary>
public sealed record DiscoveredEngine(string EngineId, string Role, string HttpAddress, EndpointLoad? Load);
