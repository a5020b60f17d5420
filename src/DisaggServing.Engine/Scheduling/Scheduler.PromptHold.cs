using System.Diagnostics;

namespace DisaggServing.Engine.Scheduling;

// TensorRT-LLM's attention-DP balance (SchedulerConfig.ContextHoldRanks): every request belongs to one attention-DP
// rank, and new prompts are held until every rank has one waiting.
public sealed partial class Scheduler
{
    // One attention-DP rank's share of the live requests (waiting or running), as TensorRT-LLM's request queue counts it
    // when it places a new request.
    private struct HoldRank
    {
        public int Live;
        public long PromptTokens;
    }

    // Per rank under the hold; null without one.
    private readonly HoldRank[]? _holdRanks;
    // Steps since held prompts were last released.
    private int _promptHoldSteps;
    // Scratch for the hold's per-rank census: waiting and running requests of each rank.
    private int[]? _rankWaiting, _rankRunning;
    // Scratch for ShareBudgetByOwnRank: each rank's room left, −1 once its queue has stopped.
    private int[]? _rankFits;

    // As executor_request_queue._schedule_attention_dp_requests places one new request: among the ranks holding fewer
    // live requests than the expected share (⌈live ÷ ranks⌉, or the most any rank holds), the one whose live requests'
    // prompts are shortest in all, then the one with fewer requests, then the lowest rank. In a closed loop this is
    // the rank whose request just finished, so each rank takes its own newcomers.
    private void AssignHoldRank(EngineRequest request)
    {
        var ranks = _holdRanks!;
        var live = 0;
        var most = 0;
        foreach (var r in ranks)
        {
            live += r.Live;
            most = Math.Max(most, r.Live);
        }
        var expected = Math.Max((live + ranks.Length) / ranks.Length, most);
        var best = -1;
        for (var i = 0; i < ranks.Length; i++)
        {
            if (ranks[i].Live >= expected) continue;
            if (best < 0 || ranks[i].PromptTokens < ranks[best].PromptTokens
                || (ranks[i].PromptTokens == ranks[best].PromptTokens && ranks[i].Live < ranks[best].Live))
                best = i;
        }
        // The ranks hold fewer than ranks × expected live requests, so one of them is below the share.
        Debug.Assert(best >= 0, "some rank holds fewer than the expected share");
        request.HoldRank = best;
        ranks[best].Live++;
        ranks[best].PromptTokens += request.PromptTokens;
    }

    private void LeaveHoldRank(EngineRequest request)
    {
        ref var rank = ref _holdRanks![request.HoldRank];
        rank.Live--;
        rank.PromptTokens -= request.PromptTokens;
    }

    // Each rank's executor admits its own waiting prompts FCFS within its own room (SchedulerConfig.PromptRanks: its
    // share of the budget less its own decodes), the others going on when one rank's next does not fit. Sets the rooms,
    // then moves the prompts the ranks take this step ahead of the rest, so the shared FCFS admission takes just those
    // (a prompt above a rank's whole share runs anyway, as in AdmitWaiting).
    private void ShareBudgetByOwnRank()
    {
        var rooms = _rankRoom!;
        TakeRankCensus();
        // Without chunking every running request is a one-token decode.
        for (var i = 0; i < rooms.Length; i++)
            rooms[i] = Config.MaxNumBatchedTokens / rooms.Length - _rankRunning![i];
        var share = Config.MaxNumBatchedTokens / rooms.Length;
        _rankFits ??= new int[rooms.Length];
        Array.Copy(rooms, _rankFits, rooms.Length);
        var left = _rankFits;
        _waiting.StablePartition(request =>
        {
            var rank = request.HoldRank;
            var tokens = request.NumTokens - request.NumComputedTokens;
            if (left[rank] < 0 || (tokens > left[rank] && tokens <= share))
            {
                left[rank] = -1; // this rank's queue stops at its first prompt that does not fit
                return false;
            }
            left[rank] -= tokens;
            return true;
        });
    }

    // Counts each rank's waiting and running requests.
    private void TakeRankCensus()
    {
        var ranks = _holdRanks!.Length;
        _rankWaiting ??= new int[ranks];
        _rankRunning ??= new int[ranks];
        Array.Clear(_rankWaiting);
        Array.Clear(_rankRunning);
        for (var i = 0; i < _waiting.Count; i++) _rankWaiting[_waiting[i].HoldRank]++;
        for (var i = 0; i < _ready.Count; i++) _rankWaiting[_ready[i].HoldRank]++;
        foreach (var request in _running) _rankRunning[request.HoldRank]++;
    }

    // py_executor _balance_adp_requests with batching_wait_iters 0, counted every step as there: prompts go when every
    // rank has one waiting and a free slot; otherwise the step holds them, until the count reaches the timeout or some
    // rank has no decode, which releases them all.
    private bool HoldsNewPrompts()
    {
        if (_holdRanks is null) return false;
        Debug.Assert(_cohortCount == 0, "the hold counts running requests in the running list: no cohort runs beside it");
        var ranks = _holdRanks.Length;
        TakeRankCensus();
        var (waiting, running) = (_rankWaiting!, _rankRunning!);
        var slotsPerRank = Config.MaxNumSeqs / ranks;
        bool everyRankWaits = true, everyRankHasRoom = true, everyRankDecodes = true;
        for (var i = 0; i < ranks; i++)
        {
            everyRankWaits &= waiting[i] > 0;
            everyRankHasRoom &= running[i] < slotsPerRank;
            everyRankDecodes &= running[i] > 0;
        }
        if (everyRankWaits && everyRankHasRoom)
        {
            _promptHoldSteps = 0;
            return false;
        }
        if (++_promptHoldSteps < Config.ContextHoldTimeoutSteps && everyRankDecodes)
            return true;
        _promptHoldSteps = 0;
        return false;
    }
}
