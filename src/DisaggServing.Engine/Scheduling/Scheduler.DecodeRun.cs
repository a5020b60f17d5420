using System.Diagnostics;

namespace DisaggServing.Engine.Scheduling;

// Decode runs: a host that knows nothing will reach this engine for a while (a simulator) repeats the in-flight
// all-decode step in closed form instead of one CompleteStep + Schedule per step. Every method here leaves the
// scheduler exactly as that many rounds of CompleteStep + Schedule would: the same token counts, the same blocks
// allocated in the same order (so the same ids and KV events), the same reservations.
public sealed partial class Scheduler
{
    // The run: its last step (the in-flight one is step 1; 0 when no run) and the step whose blocks are allocated.
    private int _runSteps, _runAllocated;
    // Running requests grouped by the step phase at which they cross a block boundary (counting sort, running
    // order kept within a phase): the requests in _runOrder[_runPhaseStart[p].._runPhaseStart[p + 1]] need a new
    // block at steps 2 + p, 2 + p + BlockSize, ...
    private EngineRequest[] _runOrder = [];
    private int[] _runPhaseStart = [];
    // The queues as the latest Schedule left them: a request queued since (a remote load that failed and requeued
    // after the step was built) may be admitted by the next step, which a run would skip.
    private int _waitingAtSchedule, _readyAtSchedule;

    /// <summary>The batch of the step in flight (the one <see cref="Schedule"/> returned last).</summary>
    internal ScheduledBatch CurrentBatch => _batch;

    /// <summary>True while a decode run is open (only the run's own methods may touch the scheduler then).</summary>
    internal bool InDecodeRun => _runSteps > 0;

    /// <summary>
    /// Opens a run over the in-flight step when it can repeat unchanged: every running request is in it as a decode,
    /// the step preempted nobody, and (with prefix caching) no decode still has a prompt block to register. Requests
    /// may wait, none queued since the step was built: the step admitted none of them, and none can be admitted later in the run, since its steps only take
    /// blocks from the free pool (and, reserving, take them from the reservation as well), and the token budget
    /// left to admission and the head of the queue stay the same. Returns the run's
    /// length K: the step in flight is step 1, and step K is the first where a request finishes or the next step's
    /// blocks would not fit (that step's completion must go through <see cref="CompleteStep"/>). Returns 0, opening
    /// nothing, when the step is not such a batch or K is below <paramref name="minSteps"/>.
    /// </summary>
    internal int BeginDecodeRun(int minSteps)
    {
        Debug.Assert(_runSteps == 0, "a run is open already");
        // Held prompts are released by a count of steps, which a run would skip, and speculative decodes gain a varying
        // number of tokens a step: step one at a time.
        if (Config.ContextHoldRanks > 0 || Config.SpeculativeTokens > 0)
            return 0;
        var n = _running.Count;
        if (!_stepInFlight || n + _cohortCount == 0 || _batch.Preempted.Count > 0 || _batch.Count != n || _batch.Shape.DecodeSequences != n + _cohortCount)
            return 0;
        if (_waiting.Count != _waitingAtSchedule || _ready.Count != _readyAtSchedule || HeldByArrival)
            return 0;
        var reserve = Config.AdmissionPolicy == AdmissionPolicy.ReserveFull;
        var caching = KvCache.PrefixCachingEnabled;
        if (_runPhaseStart.Length != _blockSize + 1)
            _runPhaseStart = new int[_blockSize + 1];
        var counts = _runPhaseStart.AsSpan();
        counts.Clear();
        var steps = int.MaxValue;
        // Cohort members are decodes by construction; the first of them to finish does so at its finish step's completion.
        if (_cohortFinishes.TryPeek(out _, out var firstFinish))
            steps = (int)Math.Min(steps, firstFinish - _steps);
        if (steps < minSteps)
            return 0;
        for (var i = 0; i < n; i++)
        {
            var r = _running[i];
            if (reserve && r.ReservedBlocks == 0)
                return 0;
            if (caching && r.BlockHashes is { } hashes && r.Blocks.NumCachedBlocks < hashes.Length)
                return 0;
            // Step 1 computes token c + 1 into blocks allocated for exactly that; step j needs ceil((c + j) / size).
            var c = r.NumComputedTokens;
            if (r.SlotTokens != CeilDiv(c + 1) * _blockSize)
                return 0;
            steps = Math.Min(steps, r.MaxOutputTokens - r.NumOutputTokens);
            if (steps < minSteps)
                return 0; // a request finishes too soon (most plain steps): no need to look at the rest
            counts[Phase(r) + 1]++;
        }
        if (steps < minSteps)
            return 0;
        for (var p = 0; p < _blockSize; p++)
            counts[p + 1] += counts[p];
        if (_runOrder.Length < n)
            _runOrder = new EngineRequest[Math.Max(n, Config.MaxNumSeqs)];
        // Place each request at its phase's next slot: _runPhaseStart[p] ends as the start of phase p + 1, so shift back.
        for (var i = 0; i < n; i++)
        {
            var r = _running[i];
            _runOrder[counts[Phase(r)]++] = r;
        }
        for (var p = _blockSize; p > 0; p--)
            counts[p] = counts[p - 1];
        counts[0] = 0;
        // The last step whose blocks all fit: allocations only take from the free pool, which nothing else touches.
        var free = KvCache.FreeBlocks;
        if (BlocksThrough(steps) > free)
        {
            int lo = 1, hi = steps; // BlocksThrough(lo) == 0 fits; BlocksThrough(hi) does not
            while (hi - lo > 1)
            {
                var mid = lo + (hi - lo) / 2;
                if (BlocksThrough(mid) <= free) lo = mid;
                else hi = mid;
            }
            steps = lo;
            if (steps < minSteps)
                return 0;
        }
        _runSteps = steps;
        _runAllocated = 1;
        return steps;
    }

    /// <summary>Allocates the blocks steps 2..<paramref name="step"/> of the run take, in the order their Schedule calls would.</summary>
    internal void AllocateDecodeRun(int step)
    {
        Debug.Assert(_runSteps > 0 && step <= _runSteps, "no such step in the run");
        for (var j = _runAllocated + 1; j <= step; j++)
        {
            var p = (j - 2) % _blockSize;
            for (var k = _runPhaseStart[p]; k < _runPhaseStart[p + 1]; k++)
            {
                var r = _runOrder[k];
                var ok = TryAllocate(r, r.NumComputedTokens + j, default);
                Debug.Assert(ok, "a run only covers steps whose blocks fit");
            }
            // Step j is scheduled at schedule index _steps + j - 1 (the step in flight at the run's start is _steps).
            if (_cohortCount > 0)
            {
                var ok = KvCache.TryTakeCounted(_cohortPhase[(int)((_steps + j - 1) % _blockSize)]);
                Debug.Assert(ok, "a run only covers steps whose blocks fit");
            }
        }
        if (step > _runAllocated)
            _runAllocated = step;
    }

    /// <summary>
    /// Closes the run with <paramref name="completed"/> of its steps done (fewer than its length): every running
    /// request has computed and sampled that many more tokens, and step <paramref name="completed"/> + 1 is in
    /// flight, scheduled at <paramref name="scheduledAt"/>, as after the same rounds of CompleteStep + Schedule.
    /// </summary>
    internal void EndDecodeRun(int completed, TimeSpan scheduledAt)
    {
        Debug.Assert(_runSteps > 0 && completed >= 0 && completed < _runSteps, "a run ends before its last step completes");
        AllocateDecodeRun(completed + 1);
        _runSteps = 0;
        if (completed == 0)
            return;
        AdvanceCohort(completed);
        _batch.Reset(scheduledAt);
        if (_cohortCount > 0)
            _batch.AddCohort(_cohortCount, _cohortKvTokens);
        for (var i = 0; i < _running.Count; i++)
        {
            var r = _running[i];
            r.NumComputedTokens += completed;
            r.NumOutputTokens += completed;
            AddToBatch(r, 1, scheduledAt);
        }
    }

    /// <summary>
    /// Closes the run after its step <paramref name="completed"/> (before its last, so nobody finishes) with that step
    /// complete and none in flight: every running request has computed and sampled that many more tokens, as after
    /// the same rounds of CompleteStep + Schedule and a last CompleteStep.
    /// </summary>
    internal void CompleteDecodeRun(int completed)
    {
        Debug.Assert(_runSteps > 0 && completed >= 1 && completed < _runSteps, "a run cut short completes before its last step");
        AllocateDecodeRun(completed);
        _runSteps = 0;
        _stepInFlight = false;
        AdvanceCohort(completed);
        for (var i = 0; i < _running.Count; i++)
        {
            var r = _running[i];
            r.NumComputedTokens += completed;
            r.NumOutputTokens += completed;
        }
    }

    // Steps 2 + phase, 2 + phase + BlockSize, ... are those at which the request's tokens overflow its blocks.
    private static int Phase(EngineRequest r) => r.SlotTokens - r.NumComputedTokens - 1;

    /// <summary>Blocks steps 2..<paramref name="step"/> allocate in all.</summary>
    private long BlocksThrough(int step)
    {
        long blocks = 0;
        for (var p = 0; p < _blockSize && p <= step - 2; p++)
            blocks += (long)(_runPhaseStart[p + 1] - _runPhaseStart[p]) * ((step - 2 - p) / _blockSize + 1);
        if (_cohortCount == 0 || step < 2)
            return blocks;
        // The cohort's: steps 2..step are schedules _steps + 1 .. _steps + step - 1; a whole cycle of phases takes a block per member.
        var schedules = step - 1;
        blocks += (long)(schedules / _blockSize) * _cohortCount;
        for (var k = 0; k < schedules % _blockSize; k++)
            blocks += _cohortPhase[(int)((_steps + 1 + k) % _blockSize)];
        return blocks;
    }
}
