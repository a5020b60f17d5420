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

    /// <summary>
    /// The simulated model's state after reading the first <paramref name="count"/> tokens of <paramref name="tokens"/>:
    /// a hash chained token by token, so the state after a prompt and some output equals the state after reading the
    /// two as one prompt (a request migrated with its output appended continues exactly where it broke).
    /// </summary>
    public static ulong ContextHash(IReadOnlyList<int> tokens, int count)
    {
        var state = ContextSeed;
        for (var i = 0; i < count; i++) state = Next(state, tokens[i]);
        return state;
    }

    /// <summary>The state after reading <paramref name="token"/> in <paramref name="state"/>.</summary>
    public static ulong Next(ulong state, int token) => Mix(state, (ulong)(uint)token);

    /// <summary>
    /// How many of the context's last tokens are the answer so far: the trailing run of the model's own vocabulary
    /// (a first-position token and the later-position tokens after it), or 0. A fresh prompt (a chat template ends with
    /// the assistant header) has none; a migrated request's prompt ends with the output it already produced.
    /// </summary>
    public static int AnswerLength(IReadOnlyList<int> tokens)
    {
        var vocab = Vocab.Value;
        var n = 0;
        for (var i = tokens.Count - 1; i >= 0 && vocab.WordSet.Contains(tokens[i]); i--) n++;
        return n < tokens.Count && vocab.StarterSet.Contains(tokens[tokens.Count - 1 - n]) ? n + 1 : 0;
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
        return new Vocabulary(starters, words, texts, [.. starters], [.. words]);
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

    private const ulong ContextSeed = 0x243F6A8885A308D3UL;

    private sealed record Vocabulary(int[] Starters, int[] Words, Dictionary<int, string> Texts, HashSet<int> StarterSet, HashSet<int> WordSet);
}
