using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Worker.Runtime;

/// <summary>How a request ended in the engine.</summary>
/// <param name="Reason">Length (all tokens generated), Abort, or Error.</param>
/// <param name="OutputTokens">Tokens generated.</param>
/// <param name="CachedTokens">Prompt tokens found in the local prefix cache.</param>
/// <param name="KvTransferParams">For a prefill for a remote decoder: where its leased blocks are.</param>
/// <param name="Error">What went wrong (Error and Abort).</param>
/// <param name="ErrorCode">OpenAI error <c>code</c> for <paramref name="Error"/>.</param>
public sealed record RequestOutcome(
    EngineFinishReason Reason,
    int OutputTokens,
    int CachedTokens,
    KvTransferParams? KvTransferParams = null,
    string? Error = null,
    string? ErrorCode = null);
