using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// What the prefill checks before serving a pull, the same over gRPC (<see cref="KvPeerService"/>) and the data
/// channel (<see cref="KvDataChannelServer"/>): one place for the checks, their status codes and their texts.
/// </summary>
public static class KvPullCheck
{
    /// <summary>A refused pull: the gRPC status code (the data channel sends the same number) and the text.</summary>
    public readonly record struct Refusal(StatusCode Code, string Message);

    /// <summary>
    /// The position in the lease of each requested block (what the payload derives from), or why the pull is refused:
    /// no such lease, another model (<paramref name="requesterModel"/> null when the requester did not say), or a
    /// block that is not the lease's.
    /// </summary>
    public static int[]? Validate(
        IKvLeases leases, WorkerSettings settings, string? leaseId, string? requesterModel, IReadOnlyList<int> blockIds, out Refusal refusal)
    {
        refusal = default;
        if (string.IsNullOrEmpty(leaseId) || !leases.TryGetLease(leaseId, out var lease))
        {
            refusal = new(StatusCode.FailedPrecondition, $"No open lease '{leaseId}' on engine {settings.EngineId} (never granted, released or expired).");
            return null;
        }
        if (requesterModel is not null && !string.Equals(requesterModel, settings.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            refusal = new(StatusCode.FailedPrecondition, $"Engine {settings.EngineId} serves {settings.ModelId}, not {requesterModel}: KV cannot move between models.");
            return null;
        }
        var indices = new int[blockIds.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = Array.IndexOf(lease.BlockIds, blockIds[i]);
            if (indices[i] < 0)
            {
                refusal = new(StatusCode.InvalidArgument, $"Block {blockIds[i]} is not part of lease '{leaseId}'.");
                return null;
            }
        }
        return indices;
    }

    /// <summary>A lease that ends mid-pull (expiry) frees the blocks: what would follow is someone else's KV.</summary>
    public static Refusal LeaseEnded(string leaseId) => new(StatusCode.FailedPrecondition, $"Lease '{leaseId}' ended during the pull.");
}
