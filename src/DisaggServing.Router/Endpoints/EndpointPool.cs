namespace DisaggServing.Router.Endpoints;

/// <summary>The engines of one role, as an immutable snapshot array swapped atomically (lock-free reads per request).</summary>
public sealed class EndpointPool
{
    private EngineEndpoint[] _endpoints;

    /// <summary>A pool holding <paramref name="endpoints"/>; <paramref name="isConfigured"/> pools are not changed by discovery.</summary>
    public EndpointPool(IEnumerable<EngineEndpoint> endpoints, bool isConfigured)
    {
        _endpoints = [.. endpoints];
        IsConfigured = isConfigured;
    }

    /// <summary>
    /// Listed in <c>Router:Prefill</c>/<c>Router:Decode</c> (URLs or DNS entries): membership follows the list and DNS,
    /// while discovery only learns ids and load.
    /// </summary>
    public bool IsConfigured { get; }

    /// <summary>The current members.</summary>
    public EngineEndpoint[] Snapshot => Volatile.Read(ref _endpoints);

    /// <summary>Replaces the members.</summary>
    public void Replace(EngineEndpoint[] endpoints) => Volatile.Write(ref _endpoints, endpoints);
}
