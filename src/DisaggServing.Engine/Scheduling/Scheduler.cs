using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// Continuous-batching scheduler with vLLM V1 semantics over a paged KV cache. The host drives it:
/// <see cref="Schedule"/> picks a batch, the host times it (a step-time model, or a real engine), advances
/// its clock, then calls <see cref="CompleteStep"/>. Single-threaded: callers serialize access.
/// </summary>
/// <example>
/// One step of an offline simulation:
/// <code>
/// scheduler.ExpireLeases(now);
/// var batch = scheduler.Schedule(now);
/// if (!batch.IsEmpty)
/// {
///     now += TimeSpan.FromSeconds(stepTimeModel.StepSeconds(batch.Shape));
///     var result = scheduler.CompleteStep(now);
///     // result.Emitted: once per token sampled (NumOutputTokens == 1 is the first: TTFT); result.Finished: done.
/// }
/// </code>
/// </example>
public sealed partial class Scheduler
{
    private readonly List<EngineRequest> _running;
    private readonly RequestQueue _waiting = new();
    // The latest arrival the step being built may admit (Schedule's admitArrivedBy): null admits every waiting request.
    private TimeSpan? _admitArrivedBy;
    // Requests already holding all their prompt's blocks (remote KV loaded, or failed and to recompute): admitted
    // before the waiting queue, so a preempted request at its head cannot starve waiting for their blocks.
    private readonly RequestQueue _ready = new();
    private readonly Dictionary<string, EngineRequest> _requests = new(StringComparer.Ordinal);
    private readonly List<int> _hits = [];
    private readonly ScheduledBatch _batch = new();
    private readonly StepResult _result = new();
    private readonly int _blockSize;
    private readonly bool _reserveFull;
    private bool _stepInFlight;
    // An abort took a running request out after the latest Schedule: the batch's positions no longer match the running set's.
    private bool _runningMovedSinceSchedule;
    // ReserveFull: blocks admitted requests may still allocate; admission keeps FreeBlocks at or above it.
    private int _reservedOutstanding;

    /// <summary>Creates a scheduler and its KV cache; <paramref name="kvEvents"/> receives the cache's events.</summary>
    public Scheduler(SchedulerConfig config, IKvEventSink? kvEvents = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _blockSize = config.BlockSize;
        _reserveFull = config.AdmissionPolicy == AdmissionPolicy.ReserveFull;
        _running = new List<EngineRequest>(config.MaxNumSeqs);
        _rankRoom = config.PromptRanks > 1 ? new int[config.PromptRanks] : null;
        _holdRanks = config.ContextHoldRanks > 0 ? new HoldRank[config.ContextHoldRanks] : null;
        KvCache = new KvCacheManager(config.NumGpuBlocks, config.BlockSize, config.EnablePrefixCaching, kvEvents, config.TracksBlockIds)
        {
            StateBlocksPerTable = config.StateBlocksPerRequest,
        };
    }

    /// <summary>Step results keep the emitters' host indices only (see <see cref="StepResult.HostIndicesOnly"/>).</summary>
    internal bool ReportsHostIndicesOnly
    {
        get => _result.HostIndicesOnly;
        set => _result.HostIndicesOnly = value;
    }

    /// <summary>The settings.</summary>
    public SchedulerConfig Config { get; }

    /// <summary>The KV cache (blocks, usage, prefix-cache counters).</summary>
    public KvCacheManager KvCache { get; }

    /// <summary>Requests in the running set (vLLM's <c>num_requests_running</c>).</summary>
    public int NumRunning => _running.Count + _cohortCount;

    /// <summary>
    /// True when the latest <see cref="Schedule"/> left a request it could otherwise have admitted waiting because it
    /// arrived after that call's <c>admitArrivedBy</c>: the next step takes it.
    /// </summary>
    public bool HeldByArrival { get; private set; }

    /// <summary>Requests queued for admission (vLLM's <c>num_requests_waiting</c> less those waiting for remote KV).</summary>
    public int NumWaiting => _waiting.Count + _ready.Count;

    /// <summary>Requests holding blocks while the host loads their remote KV.</summary>
    public int NumWaitingForRemoteKv { get; private set; }

    /// <summary>Finished prefills whose blocks are held under a lease.</summary>
    public int NumLeases { get; private set; }

    /// <summary>Preemptions so far (vLLM's <c>num_preemptions</c>).</summary>
    public long NumPreemptions { get; private set; }

    /// <summary>
    /// Requests that, without chunked prefill, waited for running ones to finish: the step's token budget held their
    /// whole prompt, but not beside the running requests' tokens (TensorRT-LLM's MicroBatchScheduler stops there).
    /// </summary>
    public long NumPromptsHeldForRoom { get; private set; }

    /// <summary>Leases that expired unreleased (vLLM's <c>nixl_num_kv_expired_reqs</c>).</summary>
    public long NumExpiredLeases { get; private set; }

    /// <summary>Fraction of KV blocks in use (vLLM's <c>kv_cache_usage_perc</c>, 0..1).</summary>
    public double KvCacheUsage => KvCache.Usage;

    /// <summary>True while any request is waiting, running or waiting for remote KV (leases not counted).</summary>
    public bool HasUnfinishedRequests => NumRunning + NumWaiting + NumWaitingForRemoteKv > 0;

    /// <summary>True between a non-empty <see cref="Schedule"/> and its <see cref="CompleteStep"/>.</summary>
    public bool IsStepInFlight => _stepInFlight;

    /// <summary>
    /// Queues <paramref name="request"/> (FCFS). Throws <see cref="ArgumentException"/> when its id is live
    /// already, its hashes do not fit its prompt, or it could never fit this engine.
    /// </summary>
    public void Add(EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status != EngineRequestStatus.New)
            throw new ArgumentException($"Request '{request.Id}' was already added to a scheduler.", nameof(request));
        if (_requests.ContainsKey(request.Id))
            throw new ArgumentException($"A request with id '{request.Id}' is already live.", nameof(request));
        if (request.BlockHashes is { } hashes && hashes.Length > request.PromptTokens / _blockSize)
            throw new ArgumentException(
                $"Request '{request.Id}' has {hashes.Length} block hashes but its {request.PromptTokens}-token prompt " +
                $"has only {request.PromptTokens / _blockSize} full blocks of {_blockSize}.", nameof(request));
        if (request.BlockHashes is not null && !Config.TracksBlockIds)
            throw new ArgumentException($"Request '{request.Id}' has block hashes but this scheduler only counts blocks.", nameof(request));
        var blocks = CeilDiv(request.MaxKvTokens) + Config.StateBlocksPerRequest;
        if (blocks > Config.NumGpuBlocks)
            throw new ArgumentException(
                $"Request '{request.Id}' needs {blocks} KV blocks ({request.MaxKvTokens} tokens" +
                (Config.StateBlocksPerRequest > 0 ? $" and {Config.StateBlocksPerRequest} for its recurrent state" : "") +
                $") but NumGpuBlocks is {Config.NumGpuBlocks}.", nameof(request));
        request.RemoteKvPending = request.Kind == EngineRequestKind.DecodeWithRemoteKv;
        request.Status = EngineRequestStatus.Waiting;
        _requests.Add(request.Id, request);
        if (_holdRanks is not null) AssignHoldRank(request);
        _waiting.PushBack(request);
    }

    /// <summary>The live request (not finished, or leased) with <paramref name="requestId"/>.</summary>
    public bool TryGetRequest(string requestId, out EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return _requests.TryGetValue(requestId, out request!);
    }

    /// <summary>
    /// Builds the next step at clock value <paramref name="now"/>: running requests first, in order (a prefill
    /// chunk within the token budget, or one decode token), preempting the newest running request when blocks
    /// run out; then, if nothing was preempted and no hold applies (<see cref="SchedulerConfig.ContextHoldRanks"/>),
    /// waiting requests FCFS. Returns the reused batch; call
    /// <see cref="CompleteStep"/> once the host has run it (not needed when it is empty). With
    /// <paramref name="admitArrivedBy"/>, admission stops at the first waiting request that arrived after it and was never
    /// scheduled (<see cref="HeldByArrival"/>): an engine that builds each step while the one before runs (vLLM's async
    /// scheduling, SGLang's and TensorRT-LLM's overlap schedulers) built this one when that one started. A step that
    /// would be empty for it admits them at once instead (the engine would have run one of placeholders for the requests
    /// that just finished).
    /// </summary>
    public ScheduledBatch Schedule(TimeSpan now, TimeSpan? admitArrivedBy = null)
    {
        var batch = Build(now, admitArrivedBy);
        return batch.IsEmpty && HeldByArrival ? Build(now, null) : batch;
    }

    private ScheduledBatch Build(TimeSpan now, TimeSpan? admitArrivedBy)
    {
        _admitArrivedBy = admitArrivedBy;
        HeldByArrival = false;
        if (_stepInFlight)
            throw new InvalidOperationException("The previous batch is still in flight: call CompleteStep before Schedule.");
        Debug.Assert(!InDecodeRun, "close the decode run before scheduling");
        _batch.Reset(now);
        _runningMovedSinceSchedule = false;
        if (!Config.MixPrefillWithDecode && SchedulePrefillOnly(now))
            return Seal();
        PrepareCohort();
        var budget = Config.MaxNumBatchedTokens - ScheduleCohort();
        var preempted = false;
        var index = 0;
        while (index < _running.Count && budget > 0)
        {
            var request = _running[index];
            var remaining = request.NumTokens - request.NumComputedTokens;
            // A decode computes its one sampled token (and verifies its drafts); a prompt, or outputs recomputed after a
            // preemption, is a prefill chunk.
            var isDecode = remaining == 1 && request.NumComputedTokens >= request.PromptTokens;
            var newTokens = Math.Min(remaining + (isDecode ? DraftTokens(request) : 0), ChunkBudget(budget));
            Debug.Assert(newTokens >= 1, "a running request always has a token to compute");
            var scheduled = true;
            // Inline check first: most running requests are decodes whose token fits their last block.
            var fits = request.NumComputedTokens + newTokens <= request.SlotTokens && !(_reserveFull && request.ReservedBlocks == 0);
            while (!fits && !TryAllocate(request, request.NumComputedTokens + newTokens, default))
            {
                // Victims come from the unscheduled tail, so nothing already in the batch loses its blocks.
                var victim = _running[^1];
                _running.RemoveAt(_running.Count - 1);
                Preempt(victim);
                preempted = true;
                if (ReferenceEquals(victim, request))
                {
                    scheduled = false;
                    break;
                }
            }
            if (!scheduled)
                break;
            // A running request was scheduled before (its admission set FirstScheduledTime): add it directly.
            _batch.Add(request, newTokens, request.NumComputedTokens, isDecode);
            budget -= newTokens;
            index++;
        }
        // As vLLM: a step that had to preempt admits nobody, or the newcomer would be preempted next. Unmixed, this is a
        // decode step: admission had its chance in SchedulePrefillOnly and found nobody it could take.
        var held = HoldsNewPrompts();
        if (!preempted && Config.MixPrefillWithDecode && !held)
            AdmitWaiting(budget, now);
        return Seal();
    }

    private ScheduledBatch Seal()
    {
        _stepInFlight = !_batch.IsEmpty;
        (_waitingAtSchedule, _readyAtSchedule) = (_waiting.Count, _ready.Count);
        return _batch;
    }

    /// <summary>
    /// SGLang's step choice without mixed chunks (scheduler.get_next_batch_to_run): a prefill (extend) batch first
    /// whenever one can be built — the running request still mid-prompt continues its chunk, then waiting requests are
    /// admitted FCFS within the token budget — and decode only when none can. False, with nothing scheduled, when no
    /// prefill could be built (or the mid-prompt request's blocks do not fit: the decode step then preempts as usual).
    /// </summary>
    private bool SchedulePrefillOnly(TimeSpan now)
    {
        var budget = Config.MaxNumBatchedTokens;
        foreach (var request in _running)
        {
            var remaining = request.NumTokens - request.NumComputedTokens;
            if (budget == 0 || (remaining == 1 && request.NumComputedTokens >= request.PromptTokens))
                continue; // a decode waits for the next decode step
            var newTokens = Math.Min(remaining, ChunkBudget(budget));
            if (!TryAllocate(request, request.NumComputedTokens + newTokens, default))
            {
                _batch.Reset(now);
                return false;
            }
            AddToBatch(request, newTokens, now);
            budget -= newTokens;
        }
        AdmitWaiting(budget, now);
        return !_batch.IsEmpty;
    }

    /// <summary>
    /// Applies the in-flight batch at clock value <paramref name="now"/> (when it ended): advances computed
    /// tokens, registers newly full blocks in the prefix cache, samples a token for every request that has
    /// computed all its tokens, and finishes those at <see cref="EngineRequest.MaxOutputTokens"/>. Returns the
    /// reused result; empty when no batch is in flight.
    /// </summary>
    public StepResult CompleteStep(TimeSpan now)
    {
        Debug.Assert(!InDecodeRun, "close the decode run before completing its step");
        _result.Reset(now);
        if (!_stepInFlight)
            return _result;
        _stepInFlight = false;
        CompleteCohort(now);
        // The first batch position whose request leaves the running list (finished, or joined the cohort).
        var firstFinished = -1;
        var caching = KvCache.PrefixCachingEnabled;
        var requests = _batch.Requests;
        for (var i = 0; i < requests.Length; i++)
        {
            var request = requests[i];
            if (request.Status != EngineRequestStatus.Running)
                continue; // aborted while the step ran
            var computed = _batch.NewTokensAt(i);
            var gained = 1;
            // A decode that verified drafts keeps the accepted ones and the target's own next token: those are its
            // gain, and all but the last (not yet computed, as after any decode) are in its KV now.
            if (computed > 1 && Config.SpeculativeTokens > 0 && _batch.IsDecodeAt(i))
                computed = gained = AcceptedTokens(request, computed - 1);
            request.NumComputedTokens += computed;
            if (caching && request.BlockHashes is { } hashes && request.Blocks.NumCachedBlocks < hashes.Length)
                KvCache.CacheFullBlocks(request.Blocks, hashes, request.NumComputedTokens);
            if (request.NumComputedTokens < request.NumTokens)
                continue; // a prefill chunk that did not reach the end samples nothing
            request.NumOutputTokens += gained;
            for (var g = 0; g < gained; g++)
                _result.AddEmitted(request);
            if (request.NumOutputTokens >= request.MaxOutputTokens)
            {
                Finish(request, now);
                if (firstFinished < 0)
                    firstFinished = i;
            }
            else if (CanJoinCohort(request))
            {
                JoinCohort(request);
                if (firstFinished < 0)
                    firstFinished = i;
            }
        }
        // The batch is the running set's first sequences, in order, unless an abort moved them since (a prefill-only
        // step skips decodes, so its index is at most the request's place in the running set: scanning from it is safe).
        if (firstFinished >= 0)
            RemoveFinishedFromRunning(_runningMovedSinceSchedule ? 0 : firstFinished);
        return _result;
    }

    /// <summary>
    /// Ends <paramref name="requestId"/> in whatever state it is (waiting, running, waiting for remote KV,
    /// leased) and returns all its blocks. A running request aborted mid-step is skipped by
    /// <see cref="CompleteStep"/>. False for an unknown or already finished id.
    /// </summary>
    public bool Abort(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        if (!_requests.Remove(requestId, out var request))
            return false;
        if (_holdRanks is not null && request.Status != EngineRequestStatus.Leased) LeaveHoldRank(request);
        switch (request.Status)
        {
            case EngineRequestStatus.Waiting:
                if (!_waiting.Remove(request))
                    _ready.Remove(request);
                break;
            case EngineRequestStatus.Running when request.InCohort:
                AbortCohortMember(request);
                break;
            case EngineRequestStatus.Running:
                _running.Remove(request);
                _runningMovedSinceSchedule = true;
                break;
            case EngineRequestStatus.WaitingForRemoteKv:
                NumWaitingForRemoteKv--;
                break;
            case EngineRequestStatus.Leased:
                NumLeases--;
                break;
        }
        // A leased request already finished by length; only the lease ends.
        if (request.Status != EngineRequestStatus.Leased)
            request.FinishReason = EngineFinishReason.Abort;
        ReleaseBlocks(request);
        request.Status = EngineRequestStatus.Finished;
        return true;
    }

    /// <summary>Drops the prefix cache (AllBlocksCleared) when no block is in use; else false, as vLLM.</summary>
    public bool ResetPrefixCache() => KvCache.ResetPrefixCache();

    // Draft tokens a decode verifies this step (SchedulerConfig.SpeculativeTokens): none beyond its last output token
    // (vLLM proposes none there either).
    private int DraftTokens(EngineRequest request) =>
        Math.Max(0, Math.Min(Config.SpeculativeTokens, request.MaxOutputTokens - request.NumOutputTokens - 1));

    // Tokens a decode that verified `verified` drafts gains: ⌊credit + L⌋ (SchedulerConfig.AcceptanceLength), at least its
    // own next token, at most every draft and that token; the fraction is carried to its next step.
    private int AcceptedTokens(EngineRequest request, int verified)
    {
        var credit = request.AcceptanceCredit + Config.AcceptanceLength;
        var gained = (int)Math.Floor(credit);
        request.AcceptanceCredit = credit - gained;
        return Math.Clamp(gained, 1, verified + 1);
    }

    // The most tokens one request may compute out of the step's remaining budget (SchedulerConfig.MaxPrefillChunkTokens).
    private int ChunkBudget(int budget) => Config.MaxPrefillChunkTokens is { } cap ? Math.Min(cap, budget) : budget;

    private void AdmitWaiting(int budget, TimeSpan now)
    {
        var caching = KvCache.PrefixCachingEnabled;
        // Without chunking, whole prompts are packed into the ranks' own budgets (SchedulerConfig.PromptRanks).
        var perRank = _rankRoom is not null && !Config.EnableChunkedPrefill;
        // Under the prompt hold each request belongs to a rank, and each rank's executor admits only its own.
        var ownRank = perRank && _holdRanks?.Length == _rankRoom!.Length;
        if (ownRank) ShareBudgetByOwnRank();
        else if (perRank) ShareBudgetAmongRanks(budget);
        var admitted = false;
        while (NumWaiting > 0 && budget > 0 && NumRunning < Config.MaxNumSeqs)
        {
            var queue = _ready.Count > 0 ? _ready : _waiting;
            var request = queue.PeekFront();
            // A step scheduled ahead takes only the requests that had arrived when it was built (FCFS: nobody overtakes).
            if (_admitArrivedBy is { } cutoff && request.FirstScheduledTime is null && request.ArrivalTime > cutoff)
            {
                HeldByArrival = true;
                break;
            }
            _hits.Clear();
            var hitTokens = 0;
            // Only a request holding no blocks looks up: ready ones already hold theirs.
            var lookUp = caching && request.BlockHashes is not null && request.Blocks.Count == 0;
            if (lookUp)
            {
                // At least one token must be computed to sample from, so a fully cached prompt recomputes its last.
                var maxBlocks = (request.NumTokens - 1) / _blockSize;
                hitTokens = KvCache.FindCachedPrefix(request.BlockHashes, maxBlocks, _hits) * _blockSize;
            }
            // A preempted request without hashes takes back what is left of its own blocks (a counting pool keeps the
            // ledger vLLM's per-block hashes give it).
            var reclaim = 0;
            if (!lookUp && request.Blocks.Count == 0 && !request.RemoteKvPending)
            {
                reclaim = Math.Min(KvCache.RetainedBlocks(request.Blocks), (request.NumTokens - 1) / _blockSize);
                hitTokens = reclaim * _blockSize;
            }
            // A prompt an earlier run cached: its first admission finds it (at least its last token is computed, as
            // above). The simulated pool keeps nothing findable for a prompt without hashes, so the hit takes free
            // blocks, as many as the cached ones it reuses (those were free to evict until now).
            var warm = reclaim == 0 && !lookUp && !request.RemoteKvPending && request.FirstScheduledTime is null && request.WarmPrefixTokens > 0;
            if (warm)
                hitTokens = Math.Min(request.WarmPrefixTokens, request.NumTokens - 1);
            var hits = CollectionsMarshal.AsSpan(_hits);
            if (Config.TracksBlockIds)
                request.Blocks.EnsureCapacity(CeilDiv(request.MaxKvTokens));
            if (request.RemoteKvPending)
            {
                // vLLM do_remote_prefill: slots for the whole prompt now; the host loads the remote KV into them.
                if (!TryAllocate(request, request.PromptTokens, hits))
                    break;
                queue.PopFront();
                if (lookUp)
                    KvCache.RecordPrefixQuery(request.NumTokens, hitTokens);
                request.NumCachedTokens = hitTokens;
                request.NumComputedTokens = hitTokens;
                request.Status = EngineRequestStatus.WaitingForRemoteKv;
                NumWaitingForRemoteKv++;
                continue;
            }
            var computed = request.NumComputedTokens + hitTokens;
            var newTokens = request.NumTokens - computed;
            // Without chunking a prompt waits for a step it fits in whole; one larger than a whole step is split
            // anyway (TensorRT-LLM would have to be started with a token budget at least that large).
            if (!Config.EnableChunkedPrefill && newTokens > budget && newTokens <= Config.MaxNumBatchedTokens)
            {
                // Only the running requests' tokens stand in its way when nobody was admitted before it this step.
                if (!admitted && !request.HeldForRoom)
                {
                    request.HeldForRoom = true;
                    NumPromptsHeldForRoom++;
                }
                break;
            }
            // So does one that fits no rank's room (one larger than a rank's whole share runs as above).
            var rank = ownRank ? request.HoldRank : perRank ? RoomiestRank() : -1;
            if (rank >= 0 && newTokens > _rankRoom![rank] && newTokens <= Config.MaxNumBatchedTokens / _rankRoom.Length)
                break;
            newTokens = Math.Min(newTokens, ChunkBudget(budget));
            if (reclaim > 0 ? !TryReclaim(request, reclaim, computed + newTokens) : !TryAllocate(request, computed + newTokens, hits))
                break; // FCFS: nobody overtakes the head of the queue
            queue.PopFront();
            if (lookUp || warm)
            {
                KvCache.RecordPrefixQuery(request.NumTokens, hitTokens);
                request.NumCachedTokens = hitTokens;
            }
            request.NumComputedTokens = computed;
            request.Status = EngineRequestStatus.Running;
            AddRunning(request);
            AddToBatch(request, newTokens, now);
            admitted = true;
            budget -= newTokens;
            if (rank >= 0) _rankRoom![rank] -= newTokens;
        }
    }

    /// <summary>Gives <paramref name="request"/> slots for <paramref name="numTokens"/> tokens under the admission policy.</summary>
    private bool TryAllocate(EngineRequest request, int numTokens, ReadOnlySpan<int> hits)
    {
        var before = request.Blocks.Count;
        var reserving = _reserveFull && request.ReservedBlocks == 0;
        // Most calls are a decode whose next token fits its last block: nothing to take, nothing to reserve.
        if (!reserving && hits.IsEmpty && numTokens <= before * _blockSize)
            return true;
        if (reserving)
        {
            // GUARANTEED_NO_EVICT: everything it will ever take from the free pool must be spare now.
            var lifetimeCost = KvCache.BlocksToAllocate(request.Blocks, request.MaxKvTokens, hits);
            if (lifetimeCost > KvCache.FreeBlocks - _reservedOutstanding)
                return false;
            if (!KvCache.TryAllocateSlots(request.Blocks, numTokens, hits))
                return false;
            request.SlotTokens = request.Blocks.Count * _blockSize;
            request.ReservedBlocks = CeilDiv(request.MaxKvTokens);
            _reservedOutstanding += request.ReservedBlocks - request.Blocks.Count;
            return true;
        }
        if (!KvCache.TryAllocateSlots(request.Blocks, numTokens, hits))
            return false;
        request.SlotTokens = request.Blocks.Count * _blockSize;
        if (request.ReservedBlocks > 0)
            _reservedOutstanding -= request.Blocks.Count - before;
        return true;
    }

    // On-demand admission only: reserve-full never preempts, so nobody it admits has blocks to reclaim.
    private bool TryReclaim(EngineRequest request, int reclaim, int numTokens)
    {
        if (!KvCache.TryReclaimSlots(request.Blocks, reclaim, numTokens))
            return false;
        request.SlotTokens = request.Blocks.Count * _blockSize;
        return true;
    }

    private void AddToBatch(EngineRequest request, int newTokens, TimeSpan now)
    {
        if (request.FirstScheduledTime is null)
            request.FirstScheduledTime = now;
        var isDecode = newTokens == 1 && request.NumComputedTokens >= request.PromptTokens;
        _batch.Add(request, newTokens, request.NumComputedTokens, isDecode);
    }

    /// <summary>vLLM preemption by recompute: drop the KV, keep the outputs, requeue at the front.</summary>
    private void Preempt(EngineRequest request)
    {
        ReleaseReservation(request);
        KvCache.FreePreempted(request.Blocks, request.NumComputedTokens / _blockSize);
        request.SlotTokens = 0;
        request.NumComputedTokens = 0;
        request.NumCachedTokens = 0;
        request.NumPreemptions++;
        request.Status = EngineRequestStatus.Waiting;
        NumPreemptions++;
        _waiting.PushFront(request);
        _batch.AddPreempted(request);
    }

    private void Finish(EngineRequest request, TimeSpan now)
    {
        if (_holdRanks is not null) LeaveHoldRank(request);
        request.FinishReason = EngineFinishReason.Length;
        _result.AddFinished(request);
        if (request.Kind == EngineRequestKind.PrefillForRemoteDecode)
        {
            StartLease(request, now);
            return;
        }
        ReleaseBlocks(request);
        request.Status = EngineRequestStatus.Finished;
        _requests.Remove(request.Id);
    }

    private void RemoveFinishedFromRunning(int from)
    {
        var kept = from;
        for (var i = from; i < _running.Count; i++)
        {
            var request = _running[i];
            if (request.Status == EngineRequestStatus.Running && !request.InCohort)
                _running[kept++] = request;
        }
        _running.RemoveRange(kept, _running.Count - kept);
    }

    /// <summary>Frees the request's blocks and whatever it still had reserved.</summary>
    private void ReleaseBlocks(EngineRequest request)
    {
        ReleaseReservation(request);
        KvCache.Free(request.Blocks);
        request.SlotTokens = 0;
    }

    private void ReleaseReservation(EngineRequest request)
    {
        if (request.ReservedBlocks == 0)
            return;
        _reservedOutstanding -= request.ReservedBlocks - request.Blocks.Count;
        request.ReservedBlocks = 0;
    }

    private int CeilDiv(int tokens) => (tokens + _blockSize - 1) / _blockSize;
}
