using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Api;

/// <summary>A validated completion or chat request, ready for the engine.</summary>
/// <param name="PromptTokens">Prompt token ids (chat: the rendered conversation).</param>
/// <param name="Output">The output, worked out in advance: its tokens, text, finish and stop reason.</param>
/// <param name="Stream">Answer as server-sent events.</param>
/// <param name="IncludeUsage">Streaming: a last chunk with usage.</param>
/// <param name="Kind">Role in P/D.</param>
/// <param name="Remote">Decode with remote KV: the prefill's kv_transfer_params.</param>
public sealed record GenerationPlan(
    IReadOnlyList<int> PromptTokens,
    CompletionText Output,
    bool Stream,
    bool IncludeUsage,
    EngineRequestKind Kind,
    KvTransferParams? Remote)
{
    /// <summary>vLLM's <c>return_token_ids</c>: each choice (each chunk) carries the token ids it adds.</summary>
    public bool ReturnTokenIds { get; init; }

    /// <summary>Tokens the engine generates.</summary>
    public int OutputTokens => Output.Tokens;
}
