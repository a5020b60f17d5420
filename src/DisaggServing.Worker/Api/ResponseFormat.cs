using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Worker.Api;

/// <summary>The response objects of one endpoint: <c>text_completion</c> or <c>chat.completion</c> and their chunks.</summary>
public abstract class ResponseFormat
{
    /// <summary>Prefix of response ids (vLLM: cmpl- / chatcmpl- followed by the request id).</summary>
    public abstract string IdPrefix { get; }

    public abstract object Whole(string id, long created, string model, string text, string finishReason, object? stopReason, Usage usage, KvTransferParams? kv,
        IReadOnlyList<int>? tokenIds = null);

    /// <summary>The first chunk, before any text (chat announces the assistant role), or null.</summary>
    public abstract object? Opening(string id, long created, string model);

    /// <summary>
    /// A chunk of text; the last one carries the finish reason and stop reason. With <c>return_token_ids</c>,
    /// <c>tokenIds</c> holds the token ids this chunk adds; otherwise it is null.
    /// </summary>
    public abstract object Chunk(string id, long created, string model, string text, string? finishReason, object? stopReason, IReadOnlyList<int>? tokenIds = null);

    public abstract object UsageChunk(string id, long created, string model, Usage usage);

    public static ResponseFormat Completion { get; } = new CompletionFormat();

    public static ResponseFormat Chat { get; } = new ChatFormat();

    private sealed class CompletionFormat : ResponseFormat
    {
        public override string IdPrefix => "cmpl-";

        public override object Whole(string id, long created, string model, string text, string finishReason, object? stopReason, Usage usage, KvTransferParams? kv,
            IReadOnlyList<int>? tokenIds = null) =>
            new CompletionResponse(id, created, model, [new CompletionChoice(0, text, finishReason) { StopReason = stopReason, TokenIds = tokenIds }]) { Usage = usage, KvTransferParams = kv };

        public override object? Opening(string id, long created, string model) => null;

        public override object Chunk(string id, long created, string model, string text, string? finishReason, object? stopReason, IReadOnlyList<int>? tokenIds = null) =>
            new CompletionResponse(id, created, model, [new CompletionChoice(0, text, finishReason) { StopReason = stopReason, TokenIds = tokenIds }]);

        public override object UsageChunk(string id, long created, string model, Usage usage) =>
            new CompletionResponse(id, created, model, []) { Usage = usage };
    }

    private sealed class ChatFormat : ResponseFormat
    {
        private const string Assistant = "assistant";

        public override string IdPrefix => "chatcmpl-";

        public override object Whole(string id, long created, string model, string text, string finishReason, object? stopReason, Usage usage, KvTransferParams? kv,
            IReadOnlyList<int>? tokenIds = null) =>
            new ChatCompletionResponse(id, ChatCompletionResponse.CompletionObject, created, model,
                [new ChatChoice(0, finishReason) { StopReason = stopReason, Message = new ChatChoiceMessage(Assistant, text), TokenIds = tokenIds }]) { Usage = usage, KvTransferParams = kv };

        public override object? Opening(string id, long created, string model) =>
            new ChatCompletionResponse(id, ChatCompletionResponse.ChunkObject, created, model,
                [new ChatChoice(0, null) { Delta = new ChatChoiceMessage(Assistant, "") }]);

        public override object Chunk(string id, long created, string model, string text, string? finishReason, object? stopReason, IReadOnlyList<int>? tokenIds = null) =>
            new ChatCompletionResponse(id, ChatCompletionResponse.ChunkObject, created, model,
                [new ChatChoice(0, finishReason) { StopReason = stopReason, Delta = new ChatChoiceMessage(null, text), TokenIds = tokenIds }]);

        public override object UsageChunk(string id, long created, string model, Usage usage) =>
            new ChatCompletionResponse(id, ChatCompletionResponse.ChunkObject, created, model, []) { Usage = usage };
    }
}
