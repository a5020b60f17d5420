using DisaggServing.Protocol.Kv;
using DisaggServing.Protocol.OpenAi;
using Microsoft.ML.Tokenizers;

namespace DisaggServing.Protocol.Tokenization;

/// <summary>
/// A prompt tokenizer. <see cref="Instance"/> is the system's default: workers count and hash prompts with it, the
/// router hashes the same prompts for prefix-aware routing, tools count with it. It is tiktoken's cl100k_base
/// vocabulary, bundled in a NuGet package so nothing is downloaded — a fallback whose ids are not any served model's
/// (counts within ~10–20% for English). A model's own vocabulary is registered in <see cref="PromptTokenizers"/>.
/// </summary>
public sealed class PromptTokenizer
{
    private static readonly Lazy<PromptTokenizer> Shared = new(() =>
        new PromptTokenizer(TiktokenTokenizer.CreateForEncoding("cl100k_base"), "cl100k_base (fallback)"));
    private readonly Tokenizer _tokenizer;

    private PromptTokenizer(Tokenizer tokenizer, string name)
    {
        _tokenizer = tokenizer;
        Name = name;
    }

    /// <summary>The process-wide cl100k_base fallback (loading the vocabulary takes ~100 ms; it is thread-safe).</summary>
    public static PromptTokenizer Instance => Shared.Value;

    /// <summary>The bundled cl100k_base vocabulary: used for every model no tokenizer is registered for.</summary>
    public static PromptTokenizer Cl100kFallback => Shared.Value;

    /// <summary>What this tokenizer is (its vocabulary or file).</summary>
    public string Name { get; }

    /// <summary>
    /// A tokenizer over a tiktoken rank file (one <c>base64(token) rank</c> per line) split with cl100k's
    /// pre-tokenization pattern — the format and pattern of Llama 3's <c>original/tokenizer.model</c>.
    /// </summary>
    /// <param name="ranks">The rank file.</param>
    /// <param name="name">A name for logs (e.g. the file path).</param>
    /// <param name="specialTokens">Special tokens and their ids (e.g. <c>&lt;|begin_of_text|&gt;</c> = 128000), or null.</param>
    public static PromptTokenizer FromTiktoken(Stream ranks, string name, IReadOnlyDictionary<string, int>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var split = ((TiktokenTokenizer)Shared.Value._tokenizer).PreTokenizer;
        return new PromptTokenizer(TiktokenTokenizer.Create(ranks, split, normalizer: null, specialTokens), name);
    }

    /// <summary>Token ids of <paramref name="text"/>.</summary>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text ?? "");

    /// <summary>Number of tokens of <paramref name="text"/>.</summary>
    public int Count(string text) => _tokenizer.CountTokens(text ?? "");

    /// <summary>Text of <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids) ?? "";

    /// <summary>Token ids of a chat conversation rendered with <see cref="ChatTemplate"/>.</summary>
    public IReadOnlyList<int> EncodeChat(IEnumerable<ChatMessage> messages) => Encode(ChatTemplate.Render(messages));

    /// <summary>Chained KV block hashes of the prompt's full blocks (what KV events carry and the index looks up).</summary>
    public static ulong[] BlockHashes(IReadOnlyList<int> tokens, int blockSize = KvBlockHasher.DefaultBlockSize)
    {
        var array = tokens as int[] ?? [.. tokens];
        return KvBlockHasher.HashPrompt(array, blockSize);
    }
}
