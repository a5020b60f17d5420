namespace DisaggServing.Router.Proxy;

/// <summary>Kinds of failed engine calls (the <c>kind</c> label of the upstream-errors counter).</summary>
public static class FailureKinds
{
    /// <summary>Could not connect, or the connection broke.</summary>
    public const string Connect = "connect";

    /// <summary>No answer within the deadline.</summary>
    public const string Timeout = "timeout";

    /// <summary>A 5xx (or 408/429) answer.</summary>
    public const string Status = "status";

    /// <summary>A 2xx answer that is not usable (not JSON, or no kv_transfer_params).</summary>
    public const string BadResponse = "bad-response";
}
