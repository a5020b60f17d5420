namespace DisaggServing.Protocol.Vllm;

/// <summary>vLLM's <c>kv_load_failure_policy</c> values: what a decode engine does when pulling remote KV fails.</summary>
public static class KvLoadFailurePolicyName
{
    /// <summary>Fail the request (an error to the client; its blocks are freed).</summary>
    public const string Fail = "fail";

    /// <summary>Prefill the prompt locally and go on.</summary>
    public const string Recompute = "recompute";
}
