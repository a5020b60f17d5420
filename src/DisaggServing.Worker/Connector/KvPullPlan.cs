using System.Diagnostics;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Worker.Connector;

/// <summary>A decode request's remote KV load: which leased blocks to pull from where.</summary>
/// <param name="RequestId">Local engine request id.</param>
/// <param name="ClientRequestId">The caller's X-Request-Id, for telemetry.</param>
/// <param name="Remote">The prefill's kv_transfer_params.</param>
/// <param name="LocalBlocks">Blocks the local engine allocated for the prompt (must equal the remote count).</param>
/// <param name="CachedBlocks">Leading blocks already in the local prefix cache: not pulled.</param>
/// <param name="PromptTokens">Prompt length.</param>
/// <param name="Parent">Trace context of the request.</param>
public sealed record KvPullPlan(
    string RequestId,
    string? ClientRequestId,
    KvTransferParams Remote,
    int LocalBlocks,
    int CachedBlocks,
    int PromptTokens,
    ActivityContext Parent);
