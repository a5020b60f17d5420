using System.Collections.Concurrent;

namespace DisaggServing.Protocol.Tokenization;

/// <summary>
/// The tokenizer provider, keyed by served model: a prefix hit needs the router to produce the very token ids the
/// engine caches, so a real engine's model needs its own vocabulary registered here (<see cref="LoadTiktoken"/>).
/// Models with none registered get <see cref="PromptTokenizer.Cl100kFallback"/> — right for the simulated workers, which
/// tokenize with it too, and only approximate for real vLLM engines (their KV events then never match a router hash;
/// the router's routing-history estimate still works, as it hashes consistently on its own side).
/// </summary>
public static class PromptTokenizers
{
    private static readonly ConcurrentDictionary<string, PromptTokenizer> ByModel = new(StringComparer.Ordinal);

    /// <summary>The tokenizer of <paramref name="model"/>: the registered one, else the cl100k fallback.</summary>
    public static PromptTokenizer For(string? model) =>
        model is not null && ByModel.TryGetValue(model, out var tokenizer) ? tokenizer : PromptTokenizer.Cl100kFallback;

    /// <summary>Uses <paramref name="tokenizer"/> for <paramref name="model"/> from now on.</summary>
    public static void Register(string model, PromptTokenizer tokenizer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ByModel[model] = tokenizer;
    }

    /// <summary>Registers the tiktoken rank file at <paramref name="path"/> for <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is missing or not a tiktoken rank file (the message names it).</exception>
    public static PromptTokenizer LoadTiktoken(string model, string path, IReadOnlyDictionary<string, int>? specialTokens = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new InvalidOperationException($"The tokenizer file '{path}' for model '{model}' does not exist; give the model's tiktoken rank file (Llama 3: original/tokenizer.model).");
        try
        {
            using var stream = File.OpenRead(path);
            var tokenizer = PromptTokenizer.FromTiktoken(stream, path, specialTokens);
            Register(model, tokenizer);
            return tokenizer;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The tokenizer file '{path}' for model '{model}' is not a tiktoken rank file (base64 token, space, rank per line): {e.Message}", e);
        }
    }

    /// <summary>Forgets every registration (tests).</summary>
    public static void Clear() => ByModel.Clear();
}
