using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Scheduling;

/// <summary>
/// What plugins know about one request while it is scheduled (llm-d's cycle state): prompt, block hashes, prefix hits.
/// The router makes one per request from its <see cref="Scheduling.Prompt"/>; a host that knows prompts by token count
/// and block hashes (the simulator) reuses one through <see cref="Reset"/>.
/// </summary>
public sealed class SchedulingContext
{
    private ulong[]? _blockHashes;
    private int _promptTokens;

    /// <summary>A context for request <paramref name="requestId"/> with <paramref name="prompt"/>, hashed in blocks of <paramref name="blockSize"/>.</summary>
    public SchedulingContext(string requestId, Prompt prompt, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentNullException.ThrowIfNull(prompt);
        RequestId = requestId;
        Prompt = prompt;
        BlockSize = blockSize;
    }

    /// <summary>A reusable context without a prompt: call <see cref="Reset"/> before scheduling each request.</summary>
    public SchedulingContext(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        RequestId = "";
        BlockSize = blockSize;
        _blockHashes = [];
    }

    /// <summary>The request id (X-Request-Id).</summary>
    public string RequestId { get; private set; }

    /// <summary>The prompt, when the host has one (the router); null when it schedules by token count (<see cref="Reset"/>).</summary>
    public Prompt? Prompt { get; }

    /// <summary>Tokens per KV block.</summary>
    public int BlockSize { get; }

    /// <summary>Number of prompt tokens (tokenizes a text prompt on first use).</summary>
    public int PromptTokens => Prompt?.TokenCount ?? _promptTokens;

    /// <summary>The prompt's token count if known without tokenizing; null otherwise.</summary>
    public int? KnownPromptTokens => Prompt is null ? _promptTokens : Prompt.KnownTokenCount;

    /// <summary>Chained KV block hashes of the prompt's full blocks (computed once, on first use).</summary>
    public ulong[] BlockHashes => _blockHashes ??= PromptTokenizer.BlockHashes(Prompt!.Tokens, BlockSize);

    /// <summary>Whether the prompt has at least one full block to look up.</summary>
    public bool HasBlockHashes => BlockHashes.Length > 0;

    /// <summary>Matched blocks per engine id from the KV index; null when not looked up.</summary>
    public IReadOnlyDictionary<string, int>? PrefixMatches { get; set; }

    /// <summary>
    /// Starts the next request on a reusable context: <paramref name="promptTokens"/> tokens whose full blocks hash to
    /// <paramref name="blockHashes"/> (empty when the host has none); the prefix matches are cleared.
    /// </summary>
    public void Reset(string requestId, int promptTokens, ulong[] blockHashes)
    {
        if (Prompt is not null) throw new InvalidOperationException("A context made for one prompt cannot be reset; make a new one.");
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        RequestId = requestId;
        _promptTokens = promptTokens;
        _blockHashes = blockHashes ?? throw new ArgumentNullException(nameof(blockHashes));
        PrefixMatches = null;
    }

    /// <summary>
    /// Prompt tokens already cached on <paramref name="candidate"/> per the KV index (0 when unknown): matched by the
    /// engine id (registered workers), else by its <see cref="ISchedulingCandidate.Authority"/> (real vLLM engines, which
    /// never register and whose KV events are indexed under the authority the router dials).
    /// </summary>
    public int CachedTokens(ISchedulingCandidate candidate)
    {
        if (PrefixMatches is not { Count: > 0 } matches)
            return 0;
        if ((candidate.EngineId is not { } id || !matches.TryGetValue(id, out var blocks)) && !matches.TryGetValue(candidate.Authority, out blocks))
            return 0;
        return (int)Math.Min((long)blocks * BlockSize, PromptTokens);
    }
}
