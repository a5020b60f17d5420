using System.Collections;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// What <see cref="Scheduler.Schedule"/> decided for one step. The scheduler reuses one instance: read it
/// before the next call.
/// </summary>
public sealed class ScheduledBatch
{
    // The sequences as parallel arrays, rebuilt every step: a step mostly schedules the requests of the step before
    // in the same slots, so a slot's request is stored only when it changed (a reference store costs a GC write
    // barrier) and nothing is cleared between steps (slots past Count may still name earlier requests).
    private EngineRequest[] _requests = new EngineRequest[256];
    private Part[] _parts = new Part[256];
    private readonly List<EngineRequest> _preempted = [];
    private readonly SequenceList _view;
    private BatchShape _shape;
    // Decodes are summed here and folded into the shape when it is read: two adds per decode instead of the
    // shape's per-sequence arithmetic (a batch is mostly decodes, built every step).
    private int _decodes;
    private long _decodeKvTokens;

    /// <summary>An empty batch.</summary>
    public ScheduledBatch() => _view = new SequenceList(this);

    /// <summary>The scheduled sequences: running requests first, in order, then newly admitted ones.</summary>
    public IReadOnlyList<ScheduledSequence> Sequences => _view;

    /// <summary>The requests of <see cref="Sequences"/>, for the scheduler's own pass over them every step.</summary>
    internal ReadOnlySpan<EngineRequest> Requests => _requests.AsSpan(0, Count);

    /// <summary>True when the sequence at <paramref name="index"/> of <see cref="Requests"/> decodes this step.</summary>
    internal bool IsDecodeAt(int index) => _parts[index].IsDecode;

    /// <summary>Tokens each of <see cref="Requests"/> computes this step.</summary>
    internal int NewTokensAt(int index) => _parts[index].NewTokens;

    /// <summary>Requests preempted (KV dropped, requeued) while building this step.</summary>
    public IReadOnlyList<EngineRequest> Preempted => _preempted;

    /// <summary>Sequences in the step.</summary>
    public int Count { get; private set; }

    /// <summary>Sequence at <paramref name="index"/>.</summary>
    public ScheduledSequence this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var part = _parts[index];
            return new ScheduledSequence(_requests[index], part.NewTokens, part.ContextTokens, part.IsDecode);
        }
    }

    /// <summary>True when nothing was scheduled.</summary>
    public bool IsEmpty => Count == 0 && CohortDecodes == 0;

    /// <summary>Decodes of the scheduler's cohort members in the step: in <see cref="Shape"/>, not in <see cref="Sequences"/>.</summary>
    internal int CohortDecodes { get; private set; }

    /// <summary>The step's sums for a step-time model.</summary>
    public BatchShape Shape
    {
        get
        {
            var shape = _shape;
            shape.AddDecodes(_decodes, _decodeKvTokens);
            return shape;
        }
    }

    /// <summary>Tokens computed this step, all sequences together.</summary>
    public int NumScheduledTokens { get; private set; }

    /// <summary>Clock value passed to <see cref="Scheduler.Schedule"/>.</summary>
    public TimeSpan ScheduledAt { get; private set; }

    internal void Reset(TimeSpan now)
    {
        Count = 0;
        CohortDecodes = 0;
        _preempted.Clear();
        _shape = default;
        _decodes = 0;
        _decodeKvTokens = 0;
        NumScheduledTokens = 0;
        ScheduledAt = now;
    }

    internal void Add(EngineRequest request, int newTokens, int contextTokens, bool isDecode)
    {
        var i = Count;
        if (i == _requests.Length)
        {
            Array.Resize(ref _requests, 2 * i);
            Array.Resize(ref _parts, 2 * i);
        }
        if (!ReferenceEquals(_requests[i], request))
            _requests[i] = request;
        _parts[i] = new Part(newTokens, contextTokens, isDecode);
        Count = i + 1;
        if (isDecode && newTokens == 1 && contextTokens >= 0)
        {
            _decodes++;
            _decodeKvTokens += contextTokens + 1;
        }
        else
        {
            _shape.Add(newTokens, contextTokens, isDecode);
        }
        NumScheduledTokens += newTokens;
    }

    /// <summary>Adds <paramref name="decodes"/> one-token decodes reading <paramref name="kvTokens"/> KV tokens in all, as one sum.</summary>
    internal void AddCohort(int decodes, long kvTokens)
    {
        CohortDecodes += decodes;
        _decodes += decodes;
        _decodeKvTokens += kvTokens;
        NumScheduledTokens += decodes;
    }

    internal void AddPreempted(EngineRequest request) => _preempted.Add(request);

    private readonly record struct Part(int NewTokens, int ContextTokens, bool IsDecode);

    private sealed class SequenceList(ScheduledBatch batch) : IReadOnlyList<ScheduledSequence>
    {
        public int Count => batch.Count;

        public ScheduledSequence this[int index] => batch[index];

        public IEnumerator<ScheduledSequence> GetEnumerator()
        {
            for (var i = 0; i < batch.Count; i++)
                yield return batch[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
