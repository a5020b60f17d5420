using DisaggServing.Protocol.Tokenization;
using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Scheduling;

/// <summary>What plugins know about one request while it is scheduled (llm-d's cycle state): prompt, block hashes, prefix hits.</summary>
public sealed class SchedulingContext
{
    private ulong[]? _blockHashes;

    /// <summary>A context for request <paramref name="requestId"/> with <paramref name="prompt"/>, hashed in blocks of <paramref name="blockSize"/>.</summary>
    public SchedulingContext(string requestId, Prompt prompt, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        RequestId = requestId;
        Prompt = prompt;
        BlockSize = blockSize;
    }

    /// <summary>The request id (X-Request-Id).</summary>
    public string RequestId { get; }

    /// <summary>The prompt.</summary>
    public Prompt Prompt { get; }

    /// <summary>Tokens per KV block.</summary>
    public int BlockSize { get; }

    /// <summary>Chained KV block hashes of the prompt's full blocks (computed once, on first use).</summary>
    public ulong[] BlockHashes => _blockHashes ??= PromptTokenizer.BlockHashes(Prompt.Tokens, BlockSize);

    /// <summary>Matched blocks per engine id from the KV index; null when not looked up.</summary>
    public IReadOnlyDictionary<string, int>? PrefixMatches { get; set; }

    /// <summary>
    /// Prompt tokens already cached on <paramref name="endpoint"/> per the KV index (0 when unknown), found under its
    /// engine id, else under its <c>host:port</c> (engines that do not register, such as vLLM).
    /// </summary>
    public int CachedTokens(EngineEndpoint endpoint)
    {
        if (PrefixMatches is not { Count: > 0 } matches) return 0;
        if ((endpoint.EngineId is not { } id || !matches.TryGetValue(id, out var blocks)) && !matches.TryGetValue(endpoint.Authority, out blocks))
            return 0;
        return (int)Math.Min((long)blocks * BlockSize, Prompt.TokenCount);
    }
}
