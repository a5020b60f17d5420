using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>A <c>text_completion</c> object: a whole response, or one stream chunk.</summary>
public sealed record CompletionResponse(string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices)
{
    /// <summary>OpenAI object type.</summary>
    public string Object => "text_completion";

    /// <summary>Token counts (whole responses, and the last chunk when asked for).</summary>
    public Usage? Usage { get; init; }

    /// <summary>Where a prefill engine left the KV (vLLM P/D).</summary>
    public KvTransferParams? KvTransferParams { get; init; }
}
