using System.IO.Hashing;
using System.Runtime.InteropServices;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Worker.Text;

/// <summary>
/// Deterministic output text: token <c>i</c> of a request is a real vocabulary token picked by a hash of
/// (prompt, seed, i), so the same request always gets the same text, whichever engine decodes it (a P/D pair
/// and a colocated engine agree). Every token is a whole word, so token texts concatenate to the decoded text.
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

    private static readonly Lazy<(int[] Starters, int[] Words)> Vocabulary = new(Build);

    /// <summary>Output tokens when the request sets no budget (chat without max_tokens): the text's "natural" end.</summary>
    public static int NaturalLength(ulong promptHash) => 32 + (int)(Mix(promptHash, ulong.MaxValue) % 225);

    /// <summary>Hash of a prompt (and seed) that the text is derived from.</summary>
    public static ulong PromptHash(IReadOnlyList<int> promptTokens, long? seed)
    {
        var ids = promptTokens as int[] ?? [.. promptTokens];
        return XxHash64.HashToUInt64(MemoryMarshal.AsBytes(ids.AsSpan()), seed ?? 0);
    }

    /// <summary>Token id at output position <paramref name="position"/> (0-based).</summary>
    public static int TokenAt(ulong promptHash, int position)
    {
        var (starters, words) = Vocabulary.Value;
        var r = Mix(promptHash, (ulong)position);
        if (position == 0)
            return starters[(int)(r % (ulong)starters.Length)];
        return words[(int)(r % (ulong)words.Length)];
    }

    /// <summary>Text of output positions [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string Text(ulong promptHash, int from, int to)
    {
        if (to <= from)
            return "";
        var ids = new int[to - from];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = TokenAt(promptHash, from + i);
        return PromptTokenizer.Instance.Decode(ids);
    }

    private static (int[], int[]) Build()
    {
        // Keep only words the shared tokenizer encodes as one token, so text and token counts agree.
        static int[] SingleTokens(IEnumerable<string> words) => [.. words
            .Select(w => PromptTokenizer.Instance.Encode(w))
            .Where(ids => ids.Count == 1)
            .Select(ids => ids[0])
            .Distinct()];
        return (SingleTokens(Starters), SingleTokens(Words));
    }

    // SplitMix64 of the pair: cheap, well spread.
    private static ulong Mix(ulong a, ulong b)
    {
        var z = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
