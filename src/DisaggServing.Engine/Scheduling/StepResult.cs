using System.Runtime.InteropServices;

namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// What happened when a step completed: who sampled a token and who finished. The scheduler reuses one
/// instance: read it before the next completion.
/// </summary>
public sealed class StepResult
{
    private readonly List<EngineRequest> _emitted = new(256);
    private readonly List<EngineRequest> _finished = [];

    /// <summary>
    /// Requests that sampled one output token this step; its index is <c>NumOutputTokens - 1</c>, so
    /// <c>NumOutputTokens == 1</c> marks the first token (TTFT).
    /// </summary>
    public IReadOnlyList<EngineRequest> Emitted => _emitted;

    /// <summary>
    /// Requests that finished this step (see <see cref="EngineRequest.FinishReason"/>); a prefill for remote
    /// decode is <see cref="EngineRequestStatus.Leased"/>, its blocks kept for the decode engine.
    /// </summary>
    public IReadOnlyList<EngineRequest> Finished => _finished;

    /// <summary><see cref="Emitted"/> as a span, for hosts that read it every step without an enumerator or interface calls.</summary>
    internal ReadOnlySpan<EngineRequest> EmittedSpan => CollectionsMarshal.AsSpan(_emitted);

    /// <summary>Clock value passed to <see cref="Scheduler.CompleteStep"/>.</summary>
    public TimeSpan CompletedAt { get; private set; }

    internal void Reset(TimeSpan now)
    {
        _emitted.Clear();
        _finished.Clear();
        CompletedAt = now;
    }

    internal void AddEmitted(EngineRequest request) => _emitted.Add(request);

    internal void AddFinished(EngineRequest request) => _finished.Add(request);
}
