namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// What happened when a step completed: who sampled a token and who finished. The scheduler reuses one
/// instance: read it before the next completion.
/// </summary>
public sealed class StepResult
{
    private readonly List<EngineRequest> _emitted = new(256);
    private readonly List<EngineRequest> _finished = [];
    private int[] _emittedHosts = new int[256];
    private int _emittedHostCount;

    /// <summary>
    /// Requests that sampled an output token this step, once per token: a speculative decode that gained several is
    /// listed that many times, together (<see cref="SchedulerConfig.SpeculativeTokens"/>). After the step a request's
    /// <c>NumOutputTokens</c> counts them all; <c>NumOutputTokens == 1</c> marks the first token (TTFT).
    /// </summary>
    public IReadOnlyList<EngineRequest> Emitted => _emitted;

    /// <summary>
    /// Requests that finished this step (see <see cref="EngineRequest.FinishReason"/>); a prefill for remote
    /// decode is <see cref="EngineRequestStatus.Leased"/>, its blocks kept for the decode engine.
    /// </summary>
    public IReadOnlyList<EngineRequest> Finished => _finished;

    /// <summary>
    /// Set by a host that reads only <see cref="EmittedHostIndices"/> (the cluster simulator, every step): the emitters'
    /// host indices are kept instead of <see cref="Emitted"/>, which stays empty (an int per token instead of a
    /// reference stored with a GC write barrier).
    /// </summary>
    internal bool HostIndicesOnly { get; set; }

    /// <summary>The <see cref="EngineRequest.HostIndex"/> of each request that sampled, in <see cref="Emitted"/>'s order (with <see cref="HostIndicesOnly"/>).</summary>
    internal ReadOnlySpan<int> EmittedHostIndices => _emittedHosts.AsSpan(0, _emittedHostCount);

    /// <summary>Clock value passed to <see cref="Scheduler.CompleteStep"/>.</summary>
    public TimeSpan CompletedAt { get; private set; }

    /// <summary>
    /// Members of the scheduler's decode cohort that sampled a token this step, all one step after their previous
    /// token; they are not in <see cref="Emitted"/> nor <see cref="EmittedHostIndices"/> (see <c>Scheduler.UsesCohort</c>).
    /// </summary>
    internal int CohortEmitted { get; set; }

    internal void Reset(TimeSpan now)
    {
        CohortEmitted = 0;
        _emitted.Clear();
        _emittedHostCount = 0;
        _finished.Clear();
        CompletedAt = now;
    }

    internal void AddEmitted(EngineRequest request)
    {
        if (!HostIndicesOnly)
        {
            _emitted.Add(request);
            return;
        }
        if (_emittedHostCount == _emittedHosts.Length)
            Array.Resize(ref _emittedHosts, 2 * _emittedHosts.Length);
        _emittedHosts[_emittedHostCount++] = request.HostIndex;
    }

    internal void AddFinished(EngineRequest request) => _finished.Add(request);
}
