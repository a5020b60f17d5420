using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The texts of a refused or failed pull, the same whichever transport carried it (the data channel sends the
/// gRPC status code of its refusal too).
/// </summary>
public static class KvPeerStatus
{
    /// <summary>A failed pull's result; the peer counts as reachable unless the status is UNAVAILABLE.</summary>
    public static KvTransportResult Failed(RpcException e, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(KvPullResult.Failed(Describe(e), elapsed), e.StatusCode != StatusCode.Unavailable);
    }

    /// <summary>What the status means for the decoder.</summary>
    public static string Describe(RpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StatusCode switch
        {
            StatusCode.FailedPrecondition => $"The prefill engine has no open lease: {e.Status.Detail}",
            StatusCode.Unavailable => $"The prefill engine's KV side channel is unreachable: {e.Status.Detail}",
            StatusCode.DeadlineExceeded => "The KV pull timed out.",
            _ => $"KV pull failed ({e.StatusCode}): {e.Status.Detail}",
        };
    }
}
