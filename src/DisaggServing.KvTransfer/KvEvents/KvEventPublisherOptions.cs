namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>One vLLM engine's KV-event publisher (<c>KvTransfer:KvEvents:Publishers:i</c>).</summary>
public sealed class KvEventPublisherOptions
{
    /// <summary>
    /// <c>…:EngineId</c>: the engine's HTTP authority as the router dials it (<c>127.0.0.1:8101</c>, <c>10.0.3.7:8000</c>);
    /// the router matches prefix hits to its endpoints by this.
    /// </summary>
    public string? EngineId { get; set; }

    /// <summary><c>…:Endpoint</c>: the engine's ZMQ PUB socket, e.g. <c>tcp://127.0.0.1:5601</c> (vLLM binds <c>tcp://*:5557</c> by default).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>…:Role</c>: prefill, decode or both (informational: shown in <c>/kv-events</c>).</summary>
    public string? Role { get; set; }

    /// <summary><c>…:ReplayEndpoint</c>: the engine's replay ROUTER socket (vLLM's <c>replay_endpoint</c>), used to fill sequence gaps.</summary>
    public string? ReplayEndpoint { get; set; }
}
