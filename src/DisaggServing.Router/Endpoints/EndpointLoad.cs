namespace DisaggServing.Router.Endpoints;

/// <summary>An engine's load as last scraped (vLLM metrics) or heartbeated (registry).</summary>
public sealed record EndpointLoad(double Waiting, double Running, double KvUsage)
{
    /// <summary>Nothing known: no load.</summary>
    public static EndpointLoad None { get; } = new(0, 0, 0);
}
