namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// One generation request as the scheduler sees it: token counts, not token ids (the simulation never needs
/// the ids; the prompt's block hashes stand in for them in the prefix cache). Its progress fields are updated
/// by the <see cref="Scheduler"/> it is added to; an instance is used once.
/// </summary>
public sealed class EngineRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="id">Request id (vLLM's request id; the router's <c>X-Request-Id</c>).</param>
    /// <param name="promptTokens">Prompt length in tokens, at least 1.</param>
    /// <param name="maxOutputTokens">Tokens to generate, at least 1 (the simulation always generates all of them).</param>
    /// <param name="arrivalTime">When the request reached the engine, on the host's clock.</param>
    /// <param name="blockHashes">
    /// Chained hashes of the prompt's full blocks (<c>KvBlockHasher.HashPrompt</c>), or null to bypass the prefix cache.
    /// </param>
    /// <param name="kind">Role in prefill/decode disaggregation.</param>
    public EngineRequest(
        string id,
        int promptTokens,
        int maxOutputTokens,
        TimeSpan arrivalTime = default,
        ulong[]? blockHashes = null,
        EngineRequestKind kind = EngineRequestKind.Normal)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(promptTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputTokens, 1);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown request kind.");
        Id = id;
        PromptTokens = promptTokens;
        MaxOutputTokens = maxOutputTokens;
        ArrivalTime = arrivalTime;
        BlockHashes = blockHashes;
        Kind = kind;
    }

    /// <summary>Request id, unique among a scheduler's live requests.</summary>
    public string Id { get; }

    /// <summary>
    /// A number the host attaches to find its own record of the request without parsing <see cref="Id"/> (the cluster
    /// simulator's request index, looked up for every token); the scheduler ignores it.
    /// </summary>
    public int HostIndex { get; init; }

    /// <summary>Prompt length in tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>
    /// Tokens at the start of the prompt an earlier run left in the prefix cache, found at the request's first
    /// admission without block hashes (a simulated prompt shares nothing with the others, so only its own earlier run
    /// can have cached it); 0 for none.
    /// </summary>
    public int WarmPrefixTokens
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Tokens to generate; the request finishes with <see cref="EngineFinishReason.Length"/> after them.</summary>
    public int MaxOutputTokens { get; }

    /// <summary>When the request reached the engine, on the host's clock.</summary>
    public TimeSpan ArrivalTime { get; }

    /// <summary>Chained hashes of the prompt's full blocks, or null when it bypasses the prefix cache.</summary>
    public ulong[]? BlockHashes { get; }

    /// <summary>Role in prefill/decode disaggregation.</summary>
    public EngineRequestKind Kind { get; }

    /// <summary>Where the request is now.</summary>
    public EngineRequestStatus Status { get; internal set; }

    /// <summary>Why it finished (<see cref="EngineFinishReason.None"/> while live).</summary>
    public EngineFinishReason FinishReason { get; internal set; }

    /// <summary>Tokens whose KV is in the cache (prompt and output; vLLM's <c>num_computed_tokens</c>).</summary>
    public int NumComputedTokens { get; internal set; }

    /// <summary>Output tokens sampled so far.</summary>
    public int NumOutputTokens { get; internal set; }

    // Speculative decoding: the fraction of a token the request's accepted drafts have earned and not yet gained
    // (SchedulerConfig.AcceptanceLength).
    internal double AcceptanceCredit { get; set; }

    /// <summary>Prompt and output tokens so far; a step computes up to <c>NumTokens - NumComputedTokens</c> of them.</summary>
    public int NumTokens => PromptTokens + NumOutputTokens;

    /// <summary>Prompt tokens found in the local prefix cache at the latest admission.</summary>
    public int NumCachedTokens { get; internal set; }

    /// <summary>Times this request was preempted (its KV dropped, to be recomputed).</summary>
    public int NumPreemptions { get; internal set; }

    /// <summary>True once its whole prompt waited for running requests to finish (<see cref="Scheduler.NumPromptsHeldForRoom"/>).</summary>
    public bool HeldForRoom { get; internal set; }

    /// <summary>When it was first scheduled into a batch (for queue-time metrics), or null.</summary>
    public TimeSpan? FirstScheduledTime { get; internal set; }

    /// <summary>When the lease on its blocks expires (prefill-for-remote-decode, while <see cref="EngineRequestStatus.Leased"/>).</summary>
    public TimeSpan LeaseExpiresAt { get; internal set; }

    /// <summary>Its KV blocks, in token order.</summary>
    public KvBlockTable Blocks { get; } = new();

    /// <summary>
    /// Tokens its blocks hold (<see cref="Blocks"/>' count × block size), kept by the scheduler beside the counts it
    /// reads every step, so the per-step fit check of a decode reads no second object.
    /// </summary>
    internal int SlotTokens { get; set; }

    /// <summary>Whether the remote KV of a <see cref="EngineRequestKind.DecodeWithRemoteKv"/> request is still to be loaded.</summary>
    internal bool RemoteKvPending { get; set; }

    /// <summary>
    /// Blocks this request holds when done under <see cref="AdmissionPolicy.ReserveFull"/>; 0 when it holds no
    /// reservation.
    /// </summary>
    internal int ReservedBlocks { get; set; }

    /// <summary>
    /// True while the request is in its scheduler's decode cohort: then <see cref="NumComputedTokens"/>,
    /// <see cref="NumOutputTokens"/>, <see cref="Blocks"/> and <see cref="SlotTokens"/> are as of its join, and the
    /// scheduler brings them up to date when it leaves.
    /// </summary>
    internal bool InCohort { get; set; }

    /// <summary>The scheduler's completed steps when it joined the cohort.</summary>
    internal long CohortJoinStep { get; set; }

    /// <summary>Free token slots in its blocks when it joined the cohort (0 to block size − 1).</summary>
    internal int CohortSlack { get; set; }

    /// <summary>The attention-DP rank it belongs to under a prompt hold (<see cref="SchedulerConfig.ContextHoldRanks"/>); 0 otherwise.</summary>
    internal int HoldRank { get; set; }

    /// <summary>Stamp of its latest admission to the running set, whose order is admission order.</summary>
    internal long RunningOrder { get; set; }

    /// <summary>Tokens whose KV must fit at once: the prompt and every output but the last, which is never fed back.</summary>
    internal int MaxKvTokens => PromptTokens + MaxOutputTokens - 1;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Id} [{Status}] prompt={PromptTokens} computed={NumComputedTokens} out={NumOutputTokens}/{MaxOutputTokens}";
}
