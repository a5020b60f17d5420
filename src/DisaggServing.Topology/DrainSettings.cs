namespace DisaggServing.Topology;

/// <summary>
/// How an engine pod stops: the <c>preStop</c> hook keeps it serving while it leaves the Services (the router
/// re-resolves their DNS every few seconds and stops choosing it), then SIGTERM makes vLLM refuse new requests and
/// finish those in flight for up to <see cref="ShutdownTimeoutSeconds"/> (<c>vllm serve --shutdown-timeout</c>).
/// </summary>
public sealed class DrainSettings
{
    /// <summary>Seconds the <c>preStop</c> hook waits before SIGTERM: endpoint removal, DNS TTL and the router's DNS refresh (5 s).</summary>
    public int PreStopSeconds { get; set; } = 15;

    /// <summary>Seconds vLLM keeps serving requests in flight after SIGTERM (<c>--shutdown-timeout</c>, vLLM ≥ 0.18.0).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 120;

    /// <summary>Seconds the kubelet allows on top of the hook and the drain before it kills the container.</summary>
    public int MarginSeconds { get; set; } = 15;
}
