using DisaggServing.Engine.Workloads;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Bench;

/// <summary>
/// Token-exact prompts for the shared tokenizer: space-led common words that are each one token, so a prompt of
/// n words is n tokens (the pre-tokenizer splits on " word", and BPE never merges across pre-tokens). For chat,
/// the template's constant overhead is subtracted, so the rendered conversation is the requested length.
/// Words are drawn at random per request, so prompts do not share a prefix beyond chance — except the shared prefixes of a
/// <c>prefix:…</c> workload, whose words are drawn from the prefix's own seed.
/// </summary>
internal sealed class BenchPrompts
{
    private static readonly string[] Candidates =
    [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "time", "water", "house", "river", "light", "green", "stone", "music", "city", "paper",
        "garden", "window", "market", "forest", "letter", "number", "summer", "winter", "story", "night", "train",
    ];

    private readonly string[] words;
    private readonly int overhead;

    public BenchPrompts(bool chat)
    {
        var tokenizer = PromptTokenizer.Instance;
        words = Candidates.Select(w => " " + w).Where(w => tokenizer.Count(w) == 1).ToArray();
        overhead = chat ? tokenizer.EncodeChat([UserMessage("")]).Count : 0;
        Chat = chat;
    }

    public bool Chat { get; }

    /// <summary>Template tokens a chat prompt carries besides its words (0 for completions).</summary>
    public int Overhead => overhead;

    /// <summary>Text whose prompt (rendered for chat) is <paramref name="tokens"/> long, or one word when the chat template alone is longer.</summary>
    public string Text(int tokens, Random random)
    {
        var count = Math.Max(1, tokens - overhead);
        var text = new System.Text.StringBuilder(count * 6);
        for (var i = 0; i < count; i++)
        {
            text.Append(words[random.Next(words.Length)]);
        }

        return text.ToString();
    }

    /// <summary>
    /// The text of <paramref name="request"/>: with a shared prefix, that prefix's words (the same for every request of
    /// it in a run of <paramref name="seed"/>) followed by words of its own; otherwise <see cref="Text(int, Random)"/>.
    /// </summary>
    public string Text(WorkloadRequest request, int seed, Random random)
    {
        if (request.SharedPrefix <= 0 || request.SharedPrefixTokens <= 0) return Text(request.InputTokens, random);
        var prefix = Math.Min(request.SharedPrefixTokens, Math.Max(1, request.InputTokens - overhead));
        var shared = Text(prefix + overhead, new Random(unchecked(seed * 7919 + request.SharedPrefix)));
        var rest = request.InputTokens - overhead - prefix;
        return rest <= 0 ? shared : shared + Text(rest + overhead, random);
    }

    public static ChatMessage UserMessage(string text) =>
        new() { Role = "user", Content = System.Text.Json.JsonSerializer.SerializeToElement(text) };
}
