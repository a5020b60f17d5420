using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Worker.Api;

/// <summary>A validated completion or chat request, ready for the engine.</summary>
/// <param name="PromptTokens">Prompt token ids (chat: the rendered conversation).</param>
/// <param name="OutputTokens">Tokens the engine generates.</param>
/// <param name="FinishReason">Reported when all of them are out: length (budget hit) or stop (the text's natural end).</param>
/// <param name="Stream">Answer as server-sent events.</param>
/// <param name="IncludeUsage">Streaming: a last chunk with usage.</param>
/// <param name="TextSeed">Hash the output text is derived from.</param>
/// <param name="Kind">Role in P/D.</param>
/// <param name="Remote">Decode with remote KV: the prefill's kv_transfer_params.</param>
public sealed record GenerationPlan(
    IReadOnlyList<int> PromptTokens,
    int OutputTokens,
    string FinishReason,
    bool Stream,
    bool IncludeUsage,
    ulong TextSeed,
    EngineRequestKind Kind,
    KvTransferParams? Remote);
