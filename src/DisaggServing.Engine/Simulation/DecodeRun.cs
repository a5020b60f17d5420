using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// A stretch of identical all-decode steps an engine runs in closed form (fast-forward): the scheduler's run (see
/// <c>Scheduler.BeginDecodeRun</c>) plus each step's end on simulated time, computed a chunk at a time as the run
/// lasts. Step j's end is the previous step's end on the clock (whole nanoseconds) plus the step-time model's time
/// for j's batch, exactly as one StepDone event per step would have it. Only the end of the latest computed chunk
/// is a queued event; steps before it complete unseen until something touches the engine.
/// </summary>
internal sealed class DecodeRun
{
    private double[] _ends = new double[64];
    private long[] _nanoseconds = new long[64];
    private double[] _clocks = new double[64];
    private int _sequences;
    private long _kvTokensRead;

    /// <summary>True while a run is open.</summary>
    public bool Open { get; private set; }

    /// <summary>The run's last step (step 1 was in flight when it opened); its completion is a plain StepDone.</summary>
    public int Steps { get; private set; }

    /// <summary>Steps whose ends are computed; the last of them is the engine's queued event.</summary>
    public int Computed { get; private set; }

    /// <summary>Steps known to have completed by the events processed so far (never more than <see cref="Computed"/> − 1).</summary>
    public int Completed { get; private set; }

    /// <summary>True once something reached the engine: the run ends with the step that was then in flight, which completes in closed form too.</summary>
    public bool CutShort { get; private set; }

    /// <summary>Where step <paramref name="step"/> (1-based) ends, as queued: before rounding to the clock.</summary>
    public double End(int step) => _ends[step];

    /// <summary>The clock at step <paramref name="step"/>'s end (whole nanoseconds), seconds; step 0: the run's start.</summary>
    public double Clock(int step) => _clocks[step];

    /// <summary>The clock at the ends of steps 1..<paramref name="steps"/>, seconds.</summary>
    public ReadOnlySpan<double> Clocks(int steps) => _clocks.AsSpan(1, steps);

    /// <summary>The clock at step <paramref name="step"/>'s end as the schedulers see it (100 ns ticks).</summary>
    public TimeSpan ClockSpan(int step) => TimeSpan.FromTicks(_nanoseconds[step] / 100);

    /// <summary>Opens a run of <paramref name="steps"/> over a batch of <paramref name="sequences"/> decodes reading <paramref name="kvTokensRead"/> KV tokens, started at <paramref name="startNanoseconds"/> and ending step 1 at <paramref name="firstEnd"/>.</summary>
    public void Begin(int steps, int sequences, long kvTokensRead, long startNanoseconds, double firstEnd)
    {
        Open = true;
        Steps = steps;
        _sequences = sequences;
        _kvTokensRead = kvTokensRead;
        Ensure(1);
        SetClock(0, startNanoseconds);
        _ends[1] = firstEnd;
        SetClock(1, Round(firstEnd));
        Computed = 1;
        Completed = 0;
        CutShort = false;
    }

    /// <summary>Ends the run with step <paramref name="step"/> (computed, before the run's last): no step after it is queued or computed.</summary>
    public void CutShortAfter(int step)
    {
        Steps = step;
        Computed = step;
        CutShort = true;
    }

    /// <summary>Computes step ends through <paramref name="step"/> (at most <see cref="Steps"/>); each step reads one more KV token per sequence than the one before.</summary>
    public void ComputeThrough(int step, StepTimeModel model)
    {
        step = Math.Min(step, Steps);
        Ensure(step);
        for (var j = Computed + 1; j <= step; j++)
        {
            var shape = BatchShape.Decodes(_sequences, _kvTokensRead + (long)_sequences * (j - 1));
            _ends[j] = _clocks[j - 1] + model.StepSeconds(shape);
            SetClock(j, Round(_ends[j]));
        }
        Computed = Math.Max(Computed, step);
    }

    /// <summary>
    /// Advances <see cref="Completed"/> over the steps that end before an event at <paramref name="at"/> (or at it too,
    /// when <paramref name="inclusive"/>: the event was queued after those steps were); the queued step never counts.
    /// </summary>
    public int CompleteBy(double at, bool inclusive)
    {
        while (Completed + 1 < Computed && (_ends[Completed + 1] < at || (inclusive && _ends[Completed + 1] == at)))
            Completed++;
        return Completed;
    }

    /// <summary>Closes the run.</summary>
    public void Close() => Open = false;

    // Whole nanoseconds, as the event loop keeps its clock.
    private static long Round(double seconds) => (long)Math.Round(seconds * 1e9);

    private void SetClock(int step, long nanoseconds)
    {
        _nanoseconds[step] = nanoseconds;
        _clocks[step] = nanoseconds / 1e9;
    }

    private void Ensure(int step)
    {
        if (step < _ends.Length) return;
        var size = Math.Max(step + 1, _ends.Length * 2);
        Array.Resize(ref _ends, size);
        Array.Resize(ref _nanoseconds, size);
        Array.Resize(ref _clocks, size);
    }
}
