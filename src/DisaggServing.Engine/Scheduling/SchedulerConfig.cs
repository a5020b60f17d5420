namespace DisaggServing.Engine.Scheduling;

/// <summary>Settings of one engine's scheduler and KV cache, named after vLLM's engine arguments.</summary>
public sealed record SchedulerConfig
{
    /// <summary>Tokens per KV block (vLLM <c>--block-size</c>); must match the block size of request hashes.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>KV blocks in the pool (vLLM <c>num_gpu_blocks</c>, derived from free GPU memory).</summary>
    public required int NumGpuBlocks { get; init; }

    /// <summary>Most requests in the running set (vLLM <c>--max-num-seqs</c>).</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Token budget of one step (vLLM <c>--max-num-batched-tokens</c>).</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>Split long prompts across steps (vLLM <c>--enable-chunked-prefill</c>); off, a prompt waits for a step it fits in whole, and only one larger than a whole step is split.</summary>
    public bool EnableChunkedPrefill { get; init; } = true;

    /// <summary>
    /// Mix prefill chunks into decode steps (vLLM V1, TensorRT-LLM's in-flight batching). Off, as SGLang runs by default
    /// (<c>--enable-mixed-chunk</c> off): a step is either a prefill (extend) batch or a decode batch, and prefill goes
    /// first whenever a waiting request can be admitted, so running decodes pause for it.
    /// </summary>
    public bool MixPrefillWithDecode { get; init; } = true;

    /// <summary>
    /// Most prompt tokens one request computes in a step; null: the step's whole budget. SGLang with attention DP divides
    /// its chunked-prefill size by the DP ranks (server_args._handle_data_parallelism), each rank prefilling its own
    /// requests, so one prompt advances by budget ÷ ranks a step while the ranks together fill the budget.
    /// </summary>
    public int? MaxPrefillChunkTokens { get; init; }

    /// <summary>
    /// Attention-DP ranks among which the token budget is shared when chunked prefill is off: each rank's executor
    /// schedules its own requests within its own MaxNumBatchedTokens ÷ ranks (TensorRT-LLM's per-rank max_num_tokens), so
    /// a whole prompt goes to the rank with the most room left after its decodes and waits when it fits in none, where one
    /// shared budget would pack more prompts into a step than the ranks can take. 0 or 1: one budget.
    /// </summary>
    public int PromptRanks { get; init; }

    /// <summary>Reuse cached KV blocks of identical prompt prefixes (vLLM <c>--enable-prefix-caching</c>).</summary>
    public bool EnablePrefixCaching { get; init; } = true;

    /// <summary>
    /// Blocks every running request holds for its recurrent state beside its tokens' KV (a hybrid model's
    /// linear-attention layers, <see cref="Performance.MemoryModel.StateBlocksPerSequence"/>); 0 for a model without them.
    /// </summary>
    public int StateBlocksPerRequest { get; init; }

    /// <summary>
    /// How long a prefill-for-remote-decode request keeps its blocks for the decode engine to pull
    /// (vLLM <c>VLLM_NIXL_ABORT_REQUEST_TIMEOUT</c>).
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// False for a host whose requests never carry block hashes and that never reads block ids (the cluster simulator
    /// on a workload without shared prefixes): the KV cache then only counts blocks (see <see cref="KvCacheManager"/>).
    /// </summary>
    internal bool TracksBlockIds { get; init; } = true;

    /// <summary>
    /// Attention-DP ranks whose new prompts are held (TensorRT-LLM's attention-DP balance): each request belongs to the
    /// rank TensorRT-LLM would place it on, and prompts wait until every rank has one waiting (and a free slot), until
    /// <see cref="ContextHoldTimeoutSteps"/> steps have passed since the last release, or while some rank runs no
    /// request; 0 never holds. Applies to steps that mix prefill into decode.
    /// </summary>
    public int ContextHoldRanks { get; init; }

    /// <summary>With <see cref="ContextHoldRanks"/>: steps after which held prompts are released anyway (TensorRT-LLM's <c>timeout_iters</c>).</summary>
    public int ContextHoldTimeoutSteps { get; init; }

    /// <summary>When waiting requests may be admitted, and whether running ones can be preempted.</summary>
    public AdmissionPolicy AdmissionPolicy { get; init; } = AdmissionPolicy.OnDemand;

    /// <summary>
    /// Draft tokens each decoding request verifies a step (speculative decoding; 0: one token a step). They are
    /// scheduled with the request's next token, against the token budget, with KV slots for all of them (vLLM's
    /// lookahead slots), fewer near the end of its output, and fewer when the budget runs short.
    /// </summary>
    public int SpeculativeTokens { get; init; }

    /// <summary>
    /// With <see cref="SpeculativeTokens"/>: tokens a verifying request gains a step, on average (1 to K + 1). Each
    /// request gains ⌊credit + L⌋ a step and carries the fraction, so every request's mean is L exactly.
    /// </summary>
    public double AcceptanceLength { get; init; } = 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (BlockSize < 1)
            throw new ArgumentException($"BlockSize must be at least 1 (got {BlockSize}).", nameof(BlockSize));
        if (NumGpuBlocks < 1)
            throw new ArgumentException($"NumGpuBlocks must be at least 1 (got {NumGpuBlocks}).", nameof(NumGpuBlocks));
        if (MaxNumSeqs < 1)
            throw new ArgumentException($"MaxNumSeqs must be at least 1 (got {MaxNumSeqs}).", nameof(MaxNumSeqs));
        if (MaxNumBatchedTokens < 1)
            throw new ArgumentException(
                $"MaxNumBatchedTokens must be at least 1 (got {MaxNumBatchedTokens}).", nameof(MaxNumBatchedTokens));
        // vLLM rejects this too: a full running set could not all decode in one step.
        if (MaxNumBatchedTokens < MaxNumSeqs)
            throw new ArgumentException(
                $"MaxNumBatchedTokens ({MaxNumBatchedTokens}) must be at least MaxNumSeqs ({MaxNumSeqs}).",
                nameof(MaxNumBatchedTokens));
        if (MaxPrefillChunkTokens is < 1)
            throw new ArgumentException($"MaxPrefillChunkTokens must be at least 1 (got {MaxPrefillChunkTokens}).", nameof(MaxPrefillChunkTokens));
        if (PromptRanks < 0)
            throw new ArgumentException($"PromptRanks must be 0 or more (got {PromptRanks}).", nameof(PromptRanks));
        if (ContextHoldRanks < 0)
            throw new ArgumentException($"ContextHoldRanks must be 0 or more (got {ContextHoldRanks}).", nameof(ContextHoldRanks));
        if (ContextHoldRanks > 0 && ContextHoldTimeoutSteps < 1)
            throw new ArgumentException($"ContextHoldTimeoutSteps must be at least 1 when prompts are held (got {ContextHoldTimeoutSteps}).", nameof(ContextHoldTimeoutSteps));
        if (LeaseDuration <= TimeSpan.Zero)
            throw new ArgumentException($"LeaseDuration must be positive (got {LeaseDuration}).", nameof(LeaseDuration));
        if (SpeculativeTokens < 0)
            throw new ArgumentException($"SpeculativeTokens must be 0 or more (got {SpeculativeTokens}).", nameof(SpeculativeTokens));
        if (SpeculativeTokens > 0 && !(AcceptanceLength >= 1 && AcceptanceLength <= SpeculativeTokens + 1))
            throw new ArgumentException($"AcceptanceLength must be between 1 and SpeculativeTokens + 1 = {SpeculativeTokens + 1} (got {AcceptanceLength}).", nameof(AcceptanceLength));
        if (!Enum.IsDefined(AdmissionPolicy))
            throw new ArgumentException($"AdmissionPolicy {(int)AdmissionPolicy} is not defined.", nameof(AdmissionPolicy));
    }
}
