namespace DisaggServing.Engine.Workloads;

/// <summary>
/// vLLM bench's <c>prefix_repetition</c> dataset: <see cref="NumPrefixes"/> random prefixes of
/// <see cref="PrefixTokens"/> tokens; each prompt is one of them followed by <see cref="SuffixTokens"/> tokens of its
/// own, and asks for <see cref="OutputTokens"/> tokens. Prompts are spread evenly over the prefixes and shuffled.
/// </summary>
public sealed record PrefixRepetition(int NumPrefixes, int PrefixTokens, int SuffixTokens, int OutputTokens)
{
    /// <summary>Prompt length of every request.</summary>
    public int InputTokens => PrefixTokens + SuffixTokens;

    /// <summary>
    /// <paramref name="count"/> requests in arrival order, the prefix of each drawn from <paramref name="seed"/> (in a
    /// stream of its own, so the arrivals are those of any other workload at the same rate and seed).
    /// </summary>
    public WorkloadRequest[] Generate(int count, IArrivalProcess arrivals, int seed)
    {
        var requests = WorkloadGenerator.Generate(new FixedLengths(InputTokens, OutputTokens), arrivals, count, seed);
        // Prefix i % N for request i, then a Fisher–Yates shuffle: each prefix gets count/N requests (±1), in random order.
        var prefixes = new int[count];
        for (var i = 0; i < count; i++) prefixes[i] = i % NumPrefixes + 1;
        var random = new Random(unchecked(seed ^ 0x2545f491));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (prefixes[i], prefixes[j]) = (prefixes[j], prefixes[i]);
        }
        for (var i = 0; i < count; i++)
            requests[i] = requests[i] with { SharedPrefix = prefixes[i], SharedPrefixTokens = PrefixTokens };
        return requests;
    }
}
