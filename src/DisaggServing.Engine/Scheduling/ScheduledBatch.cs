using System.Runtime.InteropServices;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// What <see cref="Scheduler.Schedule"/> decided for one step. The scheduler reuses one instance: read it
/// before the next call.
/// </summary>
public sealed class ScheduledBatch
{
    private readonly List<ScheduledSequence> _sequences = new(256);
    private readonly List<EngineRequest> _preempted = [];
    private BatchShape _shape;
    // Decodes are summed here and folded into the shape when it is read: two adds per decode instead of the
    // shape's per-sequence arithmetic (a batch is mostly decodes, built every step).
    private int _decodes;
    private long _decodeKvTokens;

    /// <summary>The scheduled sequences: running requests first, in order, then newly admitted ones.</summary>
    public IReadOnlyList<ScheduledSequence> Sequences => _sequences;

    /// <summary><see cref="Sequences"/> as a span, for the scheduler's own pass over them every step.</summary>
    internal ReadOnlySpan<ScheduledSequence> SequencesSpan => CollectionsMarshal.AsSpan(_sequences);

    /// <summary>Requests preempted (KV dropped, requeued) while building this step.</summary>
    public IReadOnlyList<EngineRequest> Preempted => _preempted;

    /// <summary>Sequences in the step.</summary>
    public int Count => _sequences.Count;

    /// <summary>Sequence at <paramref name="index"/>.</summary>
    public ScheduledSequence this[int index] => _sequences[index];

    /// <summary>True when nothing was scheduled.</summary>
    public bool IsEmpty => _sequences.Count == 0;

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
        _sequences.Clear();
        _preempted.Clear();
        _shape = default;
        _decodes = 0;
        _decodeKvTokens = 0;
        NumScheduledTokens = 0;
        ScheduledAt = now;
    }

    internal void Add(EngineRequest request, int newTokens, int contextTokens, bool isDecode)
    {
        _sequences.Add(new ScheduledSequence(request, newTokens, contextTokens, isDecode));
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

    internal void AddPreempted(EngineRequest request) => _preempted.Add(request);
}
