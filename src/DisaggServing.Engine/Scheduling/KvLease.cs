namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// KV blocks a prefill engine keeps for a decode engine to pull (vLLM's <c>remote_block_ids</c> and the
/// NIXL abort timeout).
/// </summary>
/// <param name="RequestId">The prefill request that computed the blocks.</param>
/// <param name="BlockIds">The blocks, in token order.</param>
/// <param name="NumTokens">Prompt tokens covered by the blocks.</param>
/// <param name="ExpiresAt">When the blocks are freed if nobody releases them first, on the host's clock.</param>
public readonly record struct KvLease(string RequestId, int[] BlockIds, int NumTokens, TimeSpan ExpiresAt);
