using System.IO.Hashing;
using System.Runtime.InteropServices;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Worker.Text;

/// <summary>
/// The simulated model's vocabulary and hashes. Output tokens are real vocabulary tokens of the shared tokenizer,
/// each a whole word or punctuation mark, so token texts concatenate to the decoded text. Which token comes at
/// which position is <see cref="TokenSampler"/>'s business: a deterministic distribution per (prompt, position),
/// sampled with the request's sampling parameters.
/// </summary>
public static class PseudoText
{
    private static readonly string[] Starters =
        ["The", "Sure", "Yes", "In", "This", "Here", "We", "It", "A", "When"];

    private static readonly string[] Words =
    [
        " the", " model", " request", " token", " cache", " block", " engine", " decode", " prefill", " latency",
        " of", " and", " to", " in", " is", " that", " for", " with", " on", " as", " it", " by", " at", " from",
        " we", " can", " will", " this", " each", " more", " time", " data", " node", " memory", " transfer",
        " first", " next", " fast", " small", " large", " simple", " system", " value", " result", " step",
        " batch", " queue", " layer", " answer", " question", " example", " number", " work", " part", " new",
        " good", " high", " low", " long", " short", " same", " other", " many", " some", " all", " one", " two",
        ",", ".",
    ];

    private static readonly Lazy<Vocabulary> Vocab = new(Build);

    /// <summary>Candidate tokens of the first output position.</summary>
    internal static int[] FirstTokens => Vocab.Value.Starters;

    /// <summary>Candidate tokens of every later position.</summary>
    internal static int[] NextTokens => Vocab.Value.Words;

    /// <summary>Output tokens before the simulated model ends its answer (its end-of-sequence) when nothing else stops it first.</summary>
    public static int NaturalLength(ulong hash) => 32 + (int)(Mix(hash, ulong.MaxValue) % 225);

    /// <summary>Hash of a prompt: the simulated model's state after reading it.</summary>
    public static ulong PromptHash(IReadOnlyList<int> promptTokens)
    {
        var ids = promptTokens as int[] ?? [.. promptTokens];
        return XxHash64.HashToUInt64(MemoryMarshal.AsBytes(ids.AsSpan()));
    }

    /// <summary>The text of one output token.</summary>
    public static string TokenText(int token) =>
        Vocab.Value.Texts.TryGetValue(token, out var text) ? text : PromptTokenizer.Instance.Decode([token]);

    private static Vocabulary Build()
    {
        // Keep only words the shared tokenizer encodes as one token, so text and token counts agree.
        static int[] SingleTokens(IEnumerable<string> words) => [.. words
            .Select(w => PromptTokenizer.Instance.Encode(w))
            .Where(ids => ids.Count == 1)
            .Select(ids => ids[0])
            .Distinct()];
        var starters = SingleTokens(Starters);
        var words = SingleTokens(Words);
        var texts = starters.Concat(words).Distinct().ToDictionary(id => id, id => PromptTokenizer.Instance.Decode([id]));
        return new Vocabulary(starters, words, texts);
    }

    /// <summary>SplitMix64 of the pair: cheap, well spread.</summary>
    internal static ulong Mix(ulong a, ulong b)
    {
        var z = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A hash as a double in [0, 1).</summary>
    internal static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private sealed record Vocabulary(int[] Starters, int[] Words, Dictionary<int, string> Texts);
}
