namespace DisaggServing.Engine.Scheduling;

// Decode with remote KV (vLLM do_remote_prefill): admission allocates the prompt's blocks and parks the
// request; the host pulls the KV into them and reports here.
public sealed partial class Scheduler
{
    /// <summary>
    /// Reports the end of the remote KV load of a request in <see cref="EngineRequestStatus.WaitingForRemoteKv"/>.
    /// On success all but the last prompt token count as computed and the request queues, FIFO, ahead of the
    /// waiting queue; its next step computes that token and samples the first output token. On failure,
    /// <see cref="KvLoadFailurePolicy.Recompute"/> requeues it to prefill locally from its local prefix hits,
    /// and <see cref="KvLoadFailurePolicy.Fail"/> finishes it with <see cref="EngineFinishReason.Error"/> and
    /// frees its blocks. False when no such request waits for remote KV.
    /// </summary>
    public bool CompleteRemoteKvLoad(string requestId, bool success, KvLoadFailurePolicy onFailure = KvLoadFailurePolicy.Recompute)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        if (!_requests.TryGetValue(requestId, out var request) || request.Status != EngineRequestStatus.WaitingForRemoteKv)
            return false;
        NumWaitingForRemoteKv--;
        request.RemoteKvPending = false;
        if (!success && onFailure == KvLoadFailurePolicy.Fail)
        {
            ReleaseBlocks(request);
            request.FinishReason = EngineFinishReason.Error;
            request.Status = EngineRequestStatus.Finished;
            _requests.Remove(requestId);
            return true;
        }
        if (success)
        {
            request.NumComputedTokens = request.PromptTokens - 1;
            if (KvCache.PrefixCachingEnabled && request.BlockHashes is { } hashes)
                KvCache.CacheFullBlocks(request.Blocks, hashes, request.NumComputedTokens);
        }
        else
        {
            request.NumComputedTokens = request.NumCachedTokens;
        }
        request.Status = EngineRequestStatus.Waiting;
        _ready.PushBack(request);
        return true;
    }
}
