using System.Diagnostics;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Worker.Runtime;

/// <summary>What the HTTP layer asks the engine to run: a tokenized prompt, an output budget and its P/D role.</summary>
/// <param name="ClientRequestId">The caller's X-Request-Id (logs and spans), or null.</param>
/// <param name="PromptTokens">Prompt token ids.</param>
/// <param name="MaxOutputTokens">Tokens to generate (1 for a prefill for a remote decoder).</param>
/// <param name="Kind">Normal, prefill for remote decode, or decode with remote KV.</param>
/// <param name="Remote">For decode with remote KV: where the prefill left the blocks.</param>
/// <param name="Parent">Trace context the engine's spans hang under.</param>
public sealed record GenerationJob(
    string? ClientRequestId,
    IReadOnlyList<int> PromptTokens,
    int MaxOutputTokens,
    EngineRequestKind Kind = EngineRequestKind.Normal,
    KvTransferParams? Remote = null,
    ActivityContext Parent = default);
