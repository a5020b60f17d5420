namespace DisaggServing.Engine.Performance;

/// <summary>
/// What one engine iteration computes, reduced to the sums the step-time model needs. Add one entry per
/// scheduled sequence: a prefill chunk (many new tokens) or a decode (one new token), each with the number
/// of tokens already in its KV cache before this step.
/// </summary>
public struct BatchShape
{
    /// <summary>Sequences in the batch.</summary>
    public int Sequences { get; private set; }

    /// <summary>Sequences that are decoding (one new token after a finished prefill).</summary>
    public int DecodeSequences { get; private set; }

    /// <summary>New tokens computed this step, summed over sequences (drives the linear layers and MoE routing).</summary>
    public long NewTokens { get; private set; }

    /// <summary>Query-key pairs attended this step: Σ new × (context + (new + 1) / 2), causal.</summary>
    public double AttentionPairs { get; private set; }

    /// <summary>The part of <see cref="AttentionPairs"/> that belongs to decode sequences (MLA runs them in absorbed form).</summary>
    public double DecodeAttentionPairs { get; private set; }

    /// <summary>KV tokens read by attention this step: Σ (context + new).</summary>
    public long KvTokensRead { get; private set; }

    /// <summary>New tokens of the largest single prefill chunk (0 when the step only decodes): with attention DP, the rank that holds it sets the pace.</summary>
    public int LargestPrefillTokens { get; private set; }

    /// <summary>Query-key pairs of that largest prefill chunk.</summary>
    public double LargestPrefillPairs { get; private set; }

    /// <summary>The most query-key pairs one prefill chunk attends (not always the largest chunk's: context counts too).</summary>
    public double MaxPrefillPairs { get; private set; }

    /// <summary>The most KV tokens one prefill chunk reads (its context + new tokens).</summary>
    public long MaxPrefillKvTokens { get; private set; }

    /// <summary>True when nothing is scheduled.</summary>
    public readonly bool IsEmpty => Sequences == 0;

    /// <summary>Adds one sequence computing <paramref name="newTokens"/> on top of <paramref name="contextTokens"/> cached ones.</summary>
    public void Add(int newTokens, int contextTokens, bool isDecode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(newTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(contextTokens);
        Sequences++;
        var pairs = newTokens * (contextTokens + (newTokens + 1) / 2.0);
        if (isDecode)
        {
            DecodeSequences++;
            DecodeAttentionPairs += pairs;
        }
        else
        {
            if (newTokens > LargestPrefillTokens)
            {
                LargestPrefillTokens = newTokens;
                LargestPrefillPairs = pairs;
            }
            MaxPrefillPairs = Math.Max(MaxPrefillPairs, pairs);
            MaxPrefillKvTokens = Math.Max(MaxPrefillKvTokens, contextTokens + newTokens);
        }
        NewTokens += newTokens;
        AttentionPairs += pairs;
        KvTokensRead += contextTokens + newTokens;
    }

    /// <summary>
    /// A batch of <paramref name="sequences"/> decodes reading <paramref name="kvTokensRead"/> KV tokens in all: the
    /// same sums as adding each decode (its pairs, context + 1, are its tokens read), built without a pass over them.
    /// </summary>
    internal static BatchShape Decodes(int sequences, long kvTokensRead)
    {
        var shape = new BatchShape();
        shape.AddDecodes(sequences, kvTokensRead);
        return shape;
    }

    /// <summary>
    /// Adds <paramref name="sequences"/> decodes reading <paramref name="kvTokensRead"/> KV tokens in all: the sums of
    /// adding each (every sum is of whole numbers far below 2^53, so exact in any order).
    /// </summary>
    internal void AddDecodes(int sequences, long kvTokensRead)
    {
        Sequences += sequences;
        DecodeSequences += sequences;
        NewTokens += sequences;
        AttentionPairs += kvTokensRead;
        DecodeAttentionPairs += kvTokensRead;
        KvTokensRead += kvTokensRead;
    }

    /// <summary>A batch of one sequence.</summary>
    public static BatchShape Of(int newTokens, int contextTokens, bool isDecode)
    {
        var shape = new BatchShape();
        shape.Add(newTokens, contextTokens, isDecode);
        return shape;
    }

    /// <summary>
    /// One of <paramref name="parts"/> equal micro-batches of this batch (a pipeline's share per micro-batch): every
    /// count divided, at least one sequence.
    /// </summary>
    public readonly BatchShape Part(int parts)
    {
        if (parts <= 1) return this;
        return new BatchShape
        {
            Sequences = Math.Max(1, (int)Math.Ceiling((double)Sequences / parts)),
            DecodeSequences = (int)Math.Ceiling((double)DecodeSequences / parts),
            NewTokens = Math.Max(1, (long)Math.Ceiling((double)NewTokens / parts)),
            AttentionPairs = AttentionPairs / parts,
            DecodeAttentionPairs = DecodeAttentionPairs / parts,
            KvTokensRead = (long)Math.Ceiling((double)KvTokensRead / parts),
            LargestPrefillTokens = LargestPrefillTokens,
            LargestPrefillPairs = LargestPrefillPairs,
            MaxPrefillPairs = MaxPrefillPairs,
            MaxPrefillKvTokens = MaxPrefillKvTokens,
        };
    }

    /// <summary>
    /// The heaviest sequences of this batch: its largest prefill chunk, with the most pairs and KV read that any one
    /// chunk has (which may be another chunk's), beside a decode of the mean context (decodes are summed, not kept one
    /// by one; one decode's context moves a step little). With up to PP sequences, one micro-batch each, they set a
    /// pipeline's pace; the shape only grows as prefill chunks are added.
    /// </summary>
    public readonly BatchShape Heaviest()
    {
        int prefill = LargestPrefillTokens > 0 ? 1 : 0, decode = DecodeSequences > 0 ? 1 : 0;
        var decodePairs = decode == 0 ? 0 : DecodeAttentionPairs / DecodeSequences;
        return new BatchShape
        {
            Sequences = prefill + decode,
            DecodeSequences = decode,
            NewTokens = LargestPrefillTokens + decode,
            AttentionPairs = MaxPrefillPairs + decodePairs,
            DecodeAttentionPairs = decodePairs,
            KvTokensRead = MaxPrefillKvTokens + (long)Math.Ceiling(decodePairs),
            LargestPrefillTokens = LargestPrefillTokens,
            LargestPrefillPairs = LargestPrefillPairs,
            MaxPrefillPairs = MaxPrefillPairs,
            MaxPrefillKvTokens = MaxPrefillKvTokens,
        };
    }
}
