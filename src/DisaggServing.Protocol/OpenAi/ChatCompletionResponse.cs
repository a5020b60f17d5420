using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>A <c>chat.completion</c> or <c>chat.completion.chunk</c> object.</summary>
public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices)
{
    /// <summary>Object type of a whole response.</summary>
    public const string CompletionObject = "chat.completion";

    /// <summary>Object type of a stream chunk.</summary>
    public const string ChunkObject = "chat.completion.chunk";

    /// <summary>Token counts (whole responses, and the last chunk when asked for).</summary>
    public Usage? Usage { get; init; }

    /// <summary>Where a prefill engine left the KV (vLLM P/D).</summary>
    public KvTransferParams? KvTransferParams { get; init; }
}
