using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DisaggServing.Engine.Scheduling;

// The decode cohort: running requests that only decode, one token a step, kept out of the running list so that a step
// costs its changes (joins, finishes, block-boundary crossings) instead of a pass over every running request. A member
// stores the step it joined at; its counters, blocks and tokens are brought up to date only when it leaves (it
// finishes, or the cohort dissolves). The batch carries the members as sums (count, KV tokens read), all a step-time
// model reads. Exact: the cohort is kept only while a step could not preempt nor run out of token budget, where the
// order of the running requests decides nothing (the pool only counts blocks, so which block a request gets changes
// nothing); otherwise it dissolves back into the running list, in admission order, before the step is built.
public sealed partial class Scheduler
{
    // After a dissolve (KV or token budget short), joins wait a while, so a pressed engine steps as before instead of
    // re-forming the cohort at every step: 64 steps, doubled (up to 4096) each time a cohort dissolves sooner than
    // that after it formed (an engine preempting at most steps would otherwise re-form and dissolve it every 64 steps).
    private const int MinRejoinDelaySteps = 64;
    private const int MaxRejoinDelaySteps = 4096;
    private int _rejoinDelay = MinRejoinDelaySteps;
    private long _cohortFormedAt;

    private bool _cohortEnabled;
    // Steps completed (CompleteStep calls with a step in flight); a member's state is its state at its join plus these.
    private long _steps;
    private long _noJoinBefore;
    private int _cohortCount;
    // Σ (computed tokens + 1) over the members: the KV tokens their decodes read this step.
    private long _cohortKvTokens;
    // Members by the step phase (step mod block size) at whose Schedule they take a new block.
    private int[] _cohortPhase = [];
    // Members by the step whose completion samples their last token.
    private readonly PriorityQueue<EngineRequest, long> _cohortFinishes = new();
    private readonly List<EngineRequest> _cohortScratch = [];
    private long _nextRunningOrder;

    /// <summary>
    /// Keeps decoding requests as a cohort (see above). Only with a pool that counts blocks (no prefix caching by
    /// block id), mixed prefill and decode steps, without reserve-full admission, and with a host that reads
    /// emitters by index and takes members' tokens through <see cref="CohortLeft"/> and
    /// <see cref="StepResult.CohortEmitted"/>. The batch's <see cref="ScheduledBatch.Sequences"/> then omit the members.
    /// </summary>
    internal bool UsesCohort
    {
        get => _cohortEnabled;
        set
        {
            if (value && (Config.TracksBlockIds || !Config.MixPrefillWithDecode || _reserveFull || !ReportsHostIndicesOnly || Config.SpeculativeTokens > 0))
                throw new InvalidOperationException("A decode cohort needs a counting pool, mixed steps, no reserve-full admission, host indices and one token a step.");
            if (_running.Count + NumWaiting + NumWaitingForRemoteKv + NumLeases > 0)
                throw new InvalidOperationException("Set the cohort on an idle scheduler.");
            _cohortEnabled = value;
            if (value && _cohortPhase.Length != _blockSize)
                _cohortPhase = new int[_blockSize];
        }
    }

    /// <summary>
    /// Called when a member leaves the cohort with its host index and the tokens it sampled as a member (each at
    /// the end of a step, the last at the latest completed step's end; the first one step after its join).
    /// </summary>
    internal Action<int, int>? CohortLeft { get; set; }

    /// <summary>Members of the cohort now.</summary>
    internal int CohortCount => _cohortCount;

    /// <summary>Before building a step: keeps the cohort when every running request gets its tokens and blocks (no preemption, no budget cut), else dissolves it.</summary>
    private void PrepareCohort()
    {
        if (_cohortCount == 0)
            return;
        long tokens = _cohortCount;
        long blocks = _cohortPhase[(int)(_steps % _blockSize)];
        foreach (var r in _running)
        {
            var remaining = r.NumTokens - r.NumComputedTokens;
            tokens += remaining;
            blocks += Math.Max(0, CeilDiv(r.NumComputedTokens + remaining) - r.Blocks.Count);
        }
        if (tokens <= Config.MaxNumBatchedTokens && blocks <= KvCache.FreeBlocks)
            return;
        DissolveCohort();
    }

    /// <summary>Adds the members to the step being built: their new blocks (counted) and their decodes' sums. Returns the tokens they take.</summary>
    private int ScheduleCohort()
    {
        if (_cohortCount == 0)
            return 0;
        var crossing = _cohortPhase[(int)(_steps % _blockSize)];
        if (crossing > 0)
        {
            var ok = KvCache.TryTakeCounted(crossing);
            Debug.Assert(ok, "PrepareCohort checked the blocks");
        }
        _batch.AddCohort(_cohortCount, _cohortKvTokens);
        return _cohortCount;
    }

    /// <summary>At a step's completion: every member sampled a token; those at their last finish.</summary>
    private void CompleteCohort(TimeSpan now)
    {
        _steps++;
        if (_cohortCount == 0)
            return;
        _cohortKvTokens += _cohortCount;
        _result.CohortEmitted = _cohortCount;
        while (_cohortFinishes.TryPeek(out var member, out var step) && step == _steps)
        {
            _cohortFinishes.Dequeue();
            LeaveCohort(member);
            Debug.Assert(member.NumOutputTokens == member.MaxOutputTokens, "a member finishes at its last token");
            Finish(member, now);
        }
    }

    /// <summary>Completes <paramref name="steps"/> steps of a decode run for the members: nobody finishes in a run.</summary>
    private void AdvanceCohort(int steps)
    {
        _steps += steps;
        _cohortKvTokens += (long)steps * _cohortCount;
        Debug.Assert(!_cohortFinishes.TryPeek(out _, out var first) || first > _steps, "a run ends before a member finishes");
    }

    /// <summary>Whether a running request that just sampled may join: it decodes next, and joins are not held back.</summary>
    private bool CanJoinCohort(EngineRequest r) =>
        _cohortEnabled && _steps >= _noJoinBefore && r.Status == EngineRequestStatus.Running
        && r.NumComputedTokens == r.NumTokens - 1 && r.NumOutputTokens < r.MaxOutputTokens
        && r.SlotTokens >= r.NumComputedTokens && r.SlotTokens - r.NumComputedTokens < _blockSize;

    private void JoinCohort(EngineRequest r)
    {
        if (_cohortCount == 0)
            _cohortFormedAt = _steps;
        r.InCohort = true;
        r.CohortJoinStep = _steps;
        // Its next step computes token c + 1; it needs a new block at the Schedule d steps on (its slots end at c + d), then every block size.
        var slack = r.SlotTokens - r.NumComputedTokens;
        r.CohortSlack = slack;
        _cohortPhase[(int)((_steps + slack) % _blockSize)]++;
        _cohortCount++;
        _cohortKvTokens += r.NumComputedTokens + 1;
        _cohortFinishes.Enqueue(r, _steps + (r.MaxOutputTokens - r.NumOutputTokens));
    }

    /// <summary>Brings a member up to date (tokens, blocks) and takes it out of the cohort's sums; the caller removes it from the finish queue.</summary>
    private void LeaveCohort(EngineRequest r)
    {
        var join = r.CohortJoinStep;
        var slack = r.CohortSlack;
        var sampled = (int)(_steps - join);
        // Schedules of the member so far: those completed, and the one in flight.
        var scheduled = _steps - join + (_stepInFlight ? 1 : 0);
        var crossings = scheduled > slack ? (int)((scheduled - slack - 1) / _blockSize) + 1 : 0;
        _cohortPhase[(int)((join + slack) % _blockSize)]--;
        _cohortCount--;
        _cohortKvTokens -= r.NumComputedTokens + sampled + 1;
        r.InCohort = false;
        r.NumComputedTokens += sampled;
        r.NumOutputTokens += sampled;
        if (crossings > 0)
        {
            r.Blocks.AddCounted(crossings);
            r.SlotTokens += crossings * _blockSize;
        }
        if (sampled > 0)
            CohortLeft?.Invoke(r.HostIndex, sampled);
    }

    /// <summary>Every member back into the running list, in admission order, up to date; joins wait a while.</summary>
    private void DissolveCohort()
    {
        var members = _cohortScratch;
        members.Clear();
        foreach (var (member, _) in _cohortFinishes.UnorderedItems)
            members.Add(member);
        _cohortFinishes.Clear();
        foreach (var member in members)
            LeaveCohort(member);
        Debug.Assert(_cohortCount == 0 && _cohortKvTokens == 0, "every member left");
        members.Sort(static (a, b) => a.RunningOrder.CompareTo(b.RunningOrder));
        // Merge the two admission-ordered lists in place, from the back.
        var plain = _running.Count;
        _running.AddRange(members);
        var running = CollectionsMarshal.AsSpan(_running);
        int i = plain - 1, j = members.Count - 1, k = running.Length - 1;
        while (j >= 0)
            running[k--] = i >= 0 && running[i].RunningOrder > members[j].RunningOrder ? running[i--] : members[j--];
        members.Clear();
        _rejoinDelay = _steps - _cohortFormedAt < _rejoinDelay ? Math.Min(2 * _rejoinDelay, MaxRejoinDelaySteps) : MinRejoinDelaySteps;
        _noJoinBefore = _steps + _rejoinDelay;
    }

    /// <summary>Takes an aborted member out of the cohort, up to date.</summary>
    private void AbortCohortMember(EngineRequest r)
    {
        LeaveCohort(r);
        _cohortFinishes.Remove(r, out _, out _, ReferenceEqualityComparer.Instance);
    }

    /// <summary>Appends a request to the running list, stamped with its admission order (the list's order).</summary>
    private void AddRunning(EngineRequest request)
    {
        request.RunningOrder = _nextRunningOrder++;
        _running.Add(request);
    }
}
