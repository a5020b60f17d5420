using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Simulation;

// Fast-forward: an engine whose step is all decodes, admitting nobody, repeats that step unchanged until a request
// finishes or blocks run short, unless something reaches the engine first (requests it holds back stay held back: a
// decode engine's transfers start only on admission). It then runs as a DecodeRun:
// one queued event per chunk of steps instead of one per step, and no per-request work per step. Whatever touches
// the engine ends the run with the step then in flight (SimEngine.Scheduler); a read of its load only allocates the run's blocks so far
// (SimEngine.Load). The results are those of stepping one step at a time (tests: fast-forward on and off).
internal sealed partial class ClusterRun
{
    // Shorter runs cost more to open and close than the steps they skip.
    private const int MinRunSteps = 3;
    private const int FirstChunkSteps = 4;

    private readonly bool _fastForward;
    // The event being processed: its queued time (before rounding to the clock) and whether it goes after steps
    // that end at the same time (it was queued after them).
    private double _eventTime;
    private bool _eventInclusive;
    // Recorder indices of the requests that emitted in a step or a run (reused).
    private int[] _tokenScratch = new int[256];
    // A step's output held back until the next step is launched (EngineProfile.OutputAfterNextLaunch).
    private int[] _deferredTokens = new int[256];
    private readonly List<int> _deferredFinishes = [];

    /// <summary>Opens a decode run on the step just scheduled when it qualifies; returns where the engine's queued step event goes.</summary>
    private double TryBeginRun(SimEngine engine, BatchShape shape, double firstEnd)
    {
        // A transfer landing before step 1 ends would close the run with no step done: the run would only cost.
        if (engine.Landings.TryPeek(out var landing) && landing < firstEnd) return firstEnd;
        var steps = engine.RawScheduler.BeginDecodeRun(MinRunSteps);
        if (steps == 0) return firstEnd;
        var run = engine.Run;
        run.Begin(steps, shape.Sequences, shape.KvTokensRead, _nowNanoseconds, firstEnd);
        run.ComputeThrough(FirstChunkSteps, engine.Model);
        return run.End(run.Computed);
    }

    /// <summary>
    /// The queued step of an engine in a run has come: the end of a chunk (queue the next, twice as long; false) or
    /// the run's last step, which completes as a plain step once the run closes before it (true).
    /// </summary>
    private bool ContinueRun(SimEngine engine)
    {
        var run = engine.Run;
        if (run.CutShort)
        {
            // Nobody finishes at this step: it completes with the others, and the engine schedules its next.
            Close(engine, run.Steps, last: true);
            engine.Busy = false;
            TryStep(engine);
            return false;
        }
        if (run.Computed < run.Steps)
        {
            run.ComputeThrough(2 * run.Computed, engine.Model);
            PushStepDone(engine, run.End(run.Computed));
            return false;
        }
        Close(engine, run.Steps - 1);
        return true;
    }

    void IDecodeRunHost.CloseRun(SimEngine engine)
    {
        var run = engine.Run;
        if (run.CutShort) return; // its blocks are allocated through the step in flight already
        var completed = run.CompleteBy(_eventTime, _eventInclusive);
        var inFlight = completed + 1;
        var end = run.End(inFlight);
        var queued = inFlight == run.Computed;
        if (inFlight < run.Steps)
        {
            // Whoever touches the engine changes nothing the step in flight does (it queues a request, or lands its
            // KV): the run ends with that step instead of leaving it to a plain CompleteStep. Its blocks are allocated
            // now, before the toucher's, as stepping would have.
            engine.RawScheduler.AllocateDecodeRun(inFlight);
            run.CutShortAfter(inFlight);
        }
        else
        {
            Close(engine, completed);
        }
        if (queued) return; // the queued event is this step's already
        engine.StepStamp++;
        PushStepDone(engine, end);
    }

    void IDecodeRunHost.CatchUpRun(SimEngine engine)
    {
        var completed = engine.Run.CompleteBy(_eventTime, _eventInclusive);
        engine.RawScheduler.AllocateDecodeRun(completed + 1);
    }

    /// <summary>
    /// Applies the run's first <paramref name="completed"/> steps (tokens and all) and closes it; the next step stays
    /// in flight, or with <paramref name="last"/> none does (a run cut short, ending with its step <paramref name="completed"/>).
    /// </summary>
    private void Close(SimEngine engine, int completed, bool last = false)
    {
        var run = engine.Run;
        var scheduler = engine.RawScheduler;
        if (completed > 0)
        {
            var requests = scheduler.CurrentBatch.Requests;
            if (_tokenScratch.Length < requests.Length) _tokenScratch = new int[Math.Max(requests.Length, 2 * _tokenScratch.Length)];
            for (var i = 0; i < requests.Length; i++) _tokenScratch[i] = _recorderIndex[IndexOf(requests[i])];
            _recorder.Tokens(_tokenScratch.AsSpan(0, requests.Length), run.Clocks(completed));
            // The cohort's members sampled at every step, each one step after their previous token.
            var members = scheduler.CohortCount;
            if (members > 0)
                for (var j = 1; j <= completed; j++)
                    _recorder.Gaps(run.Clock(j) - (j == 1 ? engine.LastStepEnd : run.Clock(j - 1)), members);
            engine.LastStepEnd = run.Clock(completed);
            // The step in flight began as the last one applied ended; with the run's last step, that step began as the one before it ended.
            engine.StepBegan = run.ClockSpan(last ? completed - 1 : completed);
        }
        if (last) scheduler.CompleteDecodeRun(completed);
        else scheduler.EndDecodeRun(completed, run.ClockSpan(completed));
        run.Close();
    }

    void IDecodeRunHost.CohortLeft(SimEngine engine, int hostIndex, int tokens) =>
        _recorder.DecodedTokens(_recorderIndex[hostIndex], tokens, engine.LastStepEnd);

    private void PushStepDone(SimEngine engine, double at) =>
        Push(at, new SimEvent(SimEventKind.StepDone, GlobalIndex(engine), engine.StepStamp));
}
