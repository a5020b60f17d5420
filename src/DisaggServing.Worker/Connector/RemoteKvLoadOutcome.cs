namespace DisaggServing.Worker.Connector;

/// <summary>What the engine does with a decode after its remote KV load.</summary>
public enum RemoteKvLoadOutcome
{
    /// <summary>Every block arrived: decode from the loaded KV.</summary>
    Loaded,

    /// <summary>The load failed and the policy is <c>recompute</c>: prefill the prompt locally.</summary>
    Recompute,

    /// <summary>The load failed and the policy is <c>fail</c>: finish the request with an error.</summary>
    Fail,
}
