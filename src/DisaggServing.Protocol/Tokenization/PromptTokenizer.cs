using DisaggServing.Protocol.Kv;
using DisaggServing.Protocol.OpenAi;
using Microsoft.ML.Tokenizers;

namespace DisaggServing.Protocol.Tokenization;

/// <summary>
/// The one tokenizer of the system: workers count and hash prompts with it, the router hashes the same prompts
/// for prefix-aware routing, tools count with it. It is tiktoken's cl100k_base vocabulary, bundled in a NuGet
/// package so nothing is downloaded; counts approximate each model's own vocabulary (within ~10–20% for English).
/// </summary>
public sealed class PromptTokenizer
{
    private static readonly Lazy<PromptTokenizer> Shared = new(() => new PromptTokenizer(TiktokenTokenizer.CreateForEncoding("cl100k_base")));
    private readonly Tokenizer _tokenizer;

    private PromptTokenizer(Tokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>The process-wide instance (loading the vocabulary takes ~100 ms; it is thread-safe).</summary>
    public static PromptTokenizer Instance => Shared.Value;

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
