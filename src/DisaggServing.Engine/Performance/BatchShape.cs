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
        else if (newTokens > LargestPrefillTokens)
        {
            LargestPrefillTokens = newTokens;
            LargestPrefillPairs = pairs;
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
    /// count divided, at least one sequence; the largest prompt stays whole (a prompt is not split between micro-batches).
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
        };
    }
}
