using System.Diagnostics;
using System.Globalization;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// One discrete-event run of a cluster. Events (arrivals, step completions, KV transfers) are processed in time
/// order on simulated time. The P/D flow is vLLM's: the router sends the prompt to a prefill
/// engine with one output token; its blocks stay leased; the router then sends the request to a decode engine,
/// which allocates blocks, pulls the KV over the link its placement implies, releases the lease and decodes. The
/// client's first token is the decode engine's (the proxy drops the prefill's token), as in vLLM's proxy. Requests are
/// routed as the router routes them (<see cref="SimRouter"/>): decode pick, P/D decision, prefill pick.
/// </summary>
internal sealed partial class ClusterRun : IDecodeRunHost
{
    private readonly ClusterSpec _cluster;
    private readonly IReadOnlyList<WorkloadRequest> _workload;
    private readonly int? _concurrency;
    private readonly IProgress<double>? _progress;
    // Simulated time. A plain field, not a VirtualTimeProvider: nothing here sets timers, and the provider's locks
    // on every advance were a third of the run (profiled).
    private double _now;
    private long _nowNanoseconds;
    private TimeSpan _nowSpan;
    private readonly PriorityQueue<SimEvent, SimTime> _events = new();
    private readonly SimEngine[] _front;   // engines a request enters first: prefill or colocated
    private readonly SimEngine[] _decode;  // decode engines (empty when colocated)
    private readonly SimRouter _router;
    private readonly KvTransferModel? _nvlink, _efa;
    private readonly LatencyRecorder _recorder;
    private readonly int[] _recorderIndex, _prefillOf, _decodeOf;
    private readonly ulong[]?[] _blockHashes;   // per request, only for prompts with a shared prefix
    private readonly string[] _ids;
    private readonly List<int> _admittedScratch = [];
    // True while every request's recorder index is its own index (arrivals routed in workload order, the usual
    // case): a step's emitters then go to the recorder as they are.
    private bool _recorderIndexIsRequest = true;
    private long _sequence;
    private int _issued, _finished, _transfers, _failedTransfers, _decodeOnly;
    private double _transferSeconds;
    private int _lastProgressPercent = -1;

    public ClusterRun(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, int? concurrency, IProgress<double>? progress, bool fastForward = true, bool cohort = true)
    {
        _fastForward = fastForward;
        _cluster = cluster.Validate();
        _workload = workload;
        _concurrency = concurrency;
        _progress = progress;
        var instance = cluster.InstanceType ?? InstanceCatalog.ForGpu((cluster.Colocated ?? cluster.Prefill!).Engine.Gpu);
        _router = new SimRouter(cluster.Routing, cluster.DecodeOnlyThresholdTokens, (cluster.Colocated ?? cluster.Decode!).Engine.BlockSize);
        // The engines publish KV events only when a shared prefix could be found and a plugin or the decider reads it.
        // Without shared prefixes no request carries block hashes, so which block a request gets changes nothing: the
        // engines' KV caches only count blocks.
        var shared = HasSharedPrefixes(workload);
        var index = _router.UsesPrefixMatches && shared ? _router.KeepIndex() : null;
        if (cluster.Colocated is { } colocated)
        {
            _front = Build(EngineRole.Colocated, colocated, cluster.Admission, this, index, shared, cohort);
            _decode = [];
        }
        else
        {
            _front = Build(EngineRole.Prefill, cluster.Prefill!, cluster.Admission, this, index, shared, false);
            _decode = Build(EngineRole.Decode, cluster.Decode!, cluster.Admission, this, index, shared, cohort);
            _nvlink = new KvTransferModel(cluster.Prefill!.Engine, cluster.Decode!.Engine, LinkKind.NvLink, instance);
            _efa = new KvTransferModel(cluster.Prefill!.Engine, cluster.Decode!.Engine, LinkKind.Efa, instance);
        }
        _recorder = new LatencyRecorder(workload.Count);
        _recorderIndex = new int[workload.Count];
        _prefillOf = new int[workload.Count];
        _decodeOf = new int[workload.Count];
        _blockHashes = new ulong[]?[workload.Count];
        _ids = new string[workload.Count];
        (_frontEndSeconds, _frontEndTokenSeconds) = FrontEndSeconds((cluster.Colocated ?? cluster.Prefill!).Engine);
    }

    private double Now => _now;

    private TimeSpan NowSpan => _nowSpan;

    public LatencyRecorder Recorder => _recorder;

    /// <summary>
    /// Called as each request finishes, with its finish time and end-to-end latency in seconds; once it returns true the
    /// run stops there, the requests still in flight unfinished (a benchmark whose measurement has ended).
    /// </summary>
    public Func<double, double, bool>? StopWhen { get; init; }

    private bool _stopped;

    /// <summary>Events the loop has processed (arrivals, steps, transfers, wake-ups); superseded steps not counted.</summary>
    public long EventsProcessed { get; private set; }

    public SimulationReport Execute(SloSpec slo)
    {
        var wall = Stopwatch.StartNew();
        Validate();
        // Open loop with arrivals in time order (generated workloads): arrivals stream from the workload beside the
        // event queue instead of filling it, which keeps the heap at a few entries per engine. An arrival goes before
        // a queued event of the same time, as it would have with its lower sequence number in the queue.
        var next = _workload.Count;
        if (_concurrency is { } n)
            for (var i = 0; i < Math.Min(n, _workload.Count); i++) Issue(_workload[i].ArrivalSeconds);
        else if (InArrivalOrder())
            next = 0;
        else
            for (var i = 0; i < _workload.Count; i++) Push(_workload[i].ArrivalSeconds, new SimEvent(SimEventKind.Arrival, -1, i));
        // Arrivals queued before the first step go before any step ending at their time; later events after it.
        var firstRuntimeSequence = _sequence;

        while (true)
        {
            SimEvent e;
            double at;
            if (next < _workload.Count && (!_events.TryPeek(out _, out var top) || _workload[next].ArrivalSeconds <= top.Seconds))
            {
                at = _workload[next].ArrivalSeconds;
                e = new SimEvent(SimEventKind.Arrival, -1, next++);
                _eventInclusive = false;
            }
            else if (_events.TryDequeue(out e, out var queued))
            {
                // A step superseded when its engine's decode run closed: the step's new event is queued too.
                if (e.Kind == SimEventKind.StepDone && e.Request != AllEngine(e.Engine).StepStamp) continue;
                at = queued.Seconds;
                _eventInclusive = queued.Sequence >= firstRuntimeSequence;
            }
            else
            {
                break;
            }

            if (at > _now)
            {
                // Whole nanoseconds, and 100 ns ticks for the schedulers, as the virtual clock kept them.
                var nanoseconds = (long)Math.Round(at * 1e9);
                _nowNanoseconds = nanoseconds;
                _now = nanoseconds / 1e9;
                _nowSpan = TimeSpan.FromTicks(nanoseconds / 100);
            }
            _eventTime = at;
            EventsProcessed++;
            switch (e.Kind)
            {
                case SimEventKind.Arrival: if (Admit(e.Request) && PassFrontEnd(e.Request)) Route(e.Request); break;
                case SimEventKind.FrontEndDone: Route(e.Request); break;
                case SimEventKind.StepDone: StepDone(AllEngine(e.Engine)); break;
                case SimEventKind.TransferDone: TransferDone(_decode[e.Engine], e.Request); break;
                case SimEventKind.LeaseExpiry: LeaseExpiry(_front[e.Engine]); break;
            }
            if (_stopped) break;
        }
        if (_finished != _workload.Count && !_stopped)
            throw new InvalidOperationException($"Simulation stalled: {_finished} of {_workload.Count} requests finished.");
        _progress?.Report(1);

        var report = _recorder.BuildReport(slo, Now, wall.Elapsed.TotalSeconds);
        long queries = 0, hits = 0;
        foreach (var pool in new[] { _front, _decode })
            foreach (var engine in pool)
            {
                queries += engine.Scheduler.KvCache.PrefixCacheQueries;
                hits += engine.Scheduler.KvCache.PrefixCacheHits;
            }
        return report with
        {
            PrefixCacheQueries = queries,
            PrefixCacheHits = hits,
            Decisions = _router.DecisionCounts(),
            Preemptions = _front.Sum(x => x.Scheduler.NumPreemptions) + _decode.Sum(x => x.Scheduler.NumPreemptions),
            PromptsHeldForRoom = _front.Sum(x => x.Scheduler.NumPromptsHeldForRoom) + _decode.Sum(x => x.Scheduler.NumPromptsHeldForRoom) is var held and > 0 ? held : null,
            KvTransfers = _decode.Length > 0 ? _transfers : null,
            MeanKvTransferMs = _transfers > 0 ? _transferSeconds / _transfers * 1000 : null,
            Extra = _decode.Length > 0 ? new Dictionary<string, object> { ["failed_kv_transfers"] = _failedTransfers, ["decode_only_requests"] = _decodeOnly } : null,
        };
    }

    private void Validate()
    {
        // A request must fit one engine: the scheduler would otherwise wait for it forever.
        foreach (var pool in new[] { _front, _decode })
        {
            if (pool.Length == 0) continue;
            var engine = pool[0];
            var capacity = (long)engine.Scheduler.KvCache.TotalBlocks * engine.Spec.BlockSize;
            for (var i = 0; i < _workload.Count; i++)
            {
                var w = _workload[i];
                var need = w.InputTokens + (engine.Role == EngineRole.Prefill ? 1 : w.OutputTokens);
                if (need > capacity)
                    throw new InputException($"Request {i} needs {need} tokens of KV but a {engine.Role.ToString().ToLowerInvariant()} engine holds {capacity}; shorten the workload or raise TP/PP.");
            }
        }
    }

    private bool InArrivalOrder()
    {
        for (var i = 1; i < _workload.Count; i++)
            if (_workload[i].ArrivalSeconds < _workload[i - 1].ArrivalSeconds) return false;
        return true;
    }

    private void Issue(double at)
    {
        if (_issued >= _workload.Count) return;
        Push(at, new SimEvent(SimEventKind.Arrival, -1, _issued++));
    }

    private void Route(int request)
    {
        var w = _workload[request];
        var id = _ids[request] = request.ToString(CultureInfo.InvariantCulture);
        var recorded = _recorderIndex[request] = _recorder.Arrive(SentAt(request));
        if (recorded != request) _recorderIndexIsRequest = false;
        var hashes = PromptBlockHashes.Of(w, request, _router.BlockSize);
        if (hashes.Length > 0) _blockHashes[request] = hashes;
        // Colocated engines are the router's decode pool with no prefill pool: every request is decode-only there.
        var route = _decode.Length > 0 ? _router.Route(id, w.InputTokens, hashes, _decode, _front) : _router.Route(id, w.InputTokens, hashes, _front, []);
        var decode = route.Decode ?? throw new InvalidOperationException($"The simulated router found no decode engine ({route.Reason.Label()}).");
        if (route.Prefill is not { } prefill)
        {
            _prefillOf[request] = -1;
            if (_decode.Length > 0) _decodeOnly++;
            decode.InFlight++;
            decode.Scheduler.Add(new EngineRequest(id, w.InputTokens, w.OutputTokens, NowSpan, HashesFor(decode, request), EngineRequestKind.Normal)
                { HostIndex = request, WarmPrefixTokens = w.WarmPrefixTokens });
            StepAfterArrivals(decode);
            return;
        }
        _prefillOf[request] = prefill.Index;
        _decodeOf[request] = decode.Index;
        prefill.InFlight++;
        prefill.Scheduler.Add(new EngineRequest(id, w.InputTokens, 1, NowSpan, HashesFor(prefill, request), EngineRequestKind.PrefillForRemoteDecode)
            { HostIndex = request, WarmPrefixTokens = w.WarmPrefixTokens });
        StepAfterArrivals(prefill);
    }

    /// <summary>The prompt's block hashes for <paramref name="engine"/>'s prefix cache: null without any, or when its blocks are another size than the router hashes.</summary>
    private ulong[]? HashesFor(SimEngine engine, int request) =>
        engine.Spec.BlockSize == _router.BlockSize ? _blockHashes[request] : null;

    private static bool HasSharedPrefixes(IReadOnlyList<WorkloadRequest> workload)
    {
        for (var i = 0; i < workload.Count; i++)
            if (workload[i].SharedPrefix > 0) return true;
        return false;
    }

    private void TryStep(SimEngine engine)
    {
        if (engine.Busy) return;
        if (engine.Role == EngineRole.Prefill) engine.Scheduler.ExpireLeases(NowSpan);
        var batch = engine.Scheduler.Schedule(NowSpan, AdmitArrivedBy(engine));
        // A request admitted by this schedule whose prefill lease has expired is requeued to prefill locally: on an
        // idle engine nothing else would schedule it (no step ends, no transfer lands), so schedule again at once.
        while (engine.AwaitingAdmission.Count > 0 && StartTransfers(engine) && batch.IsEmpty)
            batch = engine.Scheduler.Schedule(NowSpan);
        if (batch.IsEmpty)
        {
            if (engine.Role == EngineRole.Prefill && engine.Scheduler.NumWaiting > 0) WakeOnLeaseExpiry(engine);
            return;
        }
        engine.Busy = true;
        var cost = engine.Model.Cost(batch.Shape);
        var launch = cost.Stages * cost.HostLaunchSeconds;
        if (engine.Spec.HoldsOutputUntilNextLaunch && launch > 0)
        {
            // The overlap scheduler launches this step while the GPU still runs the one before: from the end of that
            // step's launch, or from when the step's newest prompt arrived. What is left of the launch holds back the
            // previous step's tokens, and an unmixed prefill batch takes only that much longer than its GPU time (a
            // mixed step already runs its decodes' GPU time under its own launch).
            launch -= Math.Clamp(Now - Math.Max(engine.HostFreeAt, NewestPromptArrival(batch)), 0, launch);
            if (!engine.Spec.EffectiveMixedPrefillDecode) cost = cost with { HostLaunchSeconds = launch / cost.Stages };
        }
        engine.LaunchSeconds = launch;
        engine.HostFreeAt = Now + launch;
        engine.StepBegan = NowSpan;
        var end = Now + cost.TotalSeconds;
        if (_fastForward && engine.Role != EngineRole.Prefill) end = TryBeginRun(engine, batch.Shape, end);
        PushStepDone(engine, end);
    }

    /// <summary>
    /// The latest arrival the step starting now may admit: an engine that schedules ahead (<see cref="EngineSpec.SchedulesAhead"/>)
    /// and has just ended a step built this one when that step started; an idle engine, or one scheduling after each
    /// step, takes whoever is waiting.
    /// </summary>
    private TimeSpan? AdmitArrivedBy(SimEngine engine) =>
        engine.Spec.SchedulesAhead && engine.LastStepEnd == Now && engine.StepBegan < NowSpan ? engine.StepBegan : null;

    // When the newest request prefilling in the batch arrived: the host cannot launch its step before.
    private static double NewestPromptArrival(ScheduledBatch batch)
    {
        var newest = 0.0;
        var requests = batch.Requests;
        for (var i = 0; i < requests.Length; i++)
            if (!batch.IsDecodeAt(i)) newest = Math.Max(newest, requests[i].ArrivalTime.TotalSeconds);
        return newest;
    }

    /// <summary>
    /// A prefill engine whose blocks are all leased to requests still queued for decode admits nothing, and no step or
    /// transfer of its own will wake it: without this event it would hold its waiting requests forever.
    /// </summary>
    private void WakeOnLeaseExpiry(SimEngine engine)
    {
        if (!engine.Scheduler.TryGetNextLeaseExpiry(out var expiresAt)) return;
        var at = expiresAt.TotalSeconds;
        if (at == engine.WakeAt) return;
        engine.WakeAt = at;
        // A microsecond late, so the clock's nanosecond/tick rounding cannot wake it just before the expiry.
        Push(Math.Max(at + 1e-6, Now), new SimEvent(SimEventKind.LeaseExpiry, engine.Index, -1));
    }

    private void LeaseExpiry(SimEngine engine)
    {
        engine.WakeAt = double.NaN;
        TryStep(engine);
    }

    private void StepDone(SimEngine engine)
    {
        if (engine.Run.Open && !ContinueRun(engine)) return;
        engine.Busy = false;
        var previousEnd = engine.LastStepEnd;
        engine.LastStepEnd = Now;
        var result = engine.Scheduler.CompleteStep(NowSpan);
        if (engine.Spec.HoldsOutputUntilNextLaunch && engine.Role != EngineRole.Prefill)
        {
            OutputAfterNextLaunch(engine, result);
            return;
        }
        // The cohort's members sampled one step after their previous token: one gap, counted once.
        if (result.CohortEmitted > 0) _recorder.Gaps(Now - previousEnd, result.CohortEmitted);
        if (engine.Role != EngineRole.Prefill)
        {
            var emitted = result.EmittedHostIndices;
            if (!_recorderIndexIsRequest)
            {
                if (_tokenScratch.Length < emitted.Length) _tokenScratch = new int[Math.Max(emitted.Length, 2 * _tokenScratch.Length)];
                for (var i = 0; i < emitted.Length; i++) _tokenScratch[i] = _recorderIndex[emitted[i]];
                emitted = _tokenScratch.AsSpan(0, emitted.Length);
            }
            _recorder.Tokens(emitted, Now);
        }
        var finished = result.Finished;
        for (var i = 0; i < finished.Count; i++)
        {
            var r = finished[i];
            var request = IndexOf(r);
            engine.InFlight--;
            if (engine.Role == EngineRole.Prefill && r.Status == EngineRequestStatus.Leased) HandOff(request);
            else Finish(request);
        }
        TryStep(engine);
    }

    /// <summary>
    /// SGLang's overlap scheduler: the engine launches its next step before it processes this one's results, so the
    /// tokens (and the finishes that let closed-loop clients send their next request) go out once that launch is done,
    /// at once after a CUDA-graph replay, a host launch later after an eager prefill.
    /// </summary>
    private void OutputAfterNextLaunch(SimEngine engine, StepResult result)
    {
        var emitted = result.EmittedHostIndices;
        if (_deferredTokens.Length < emitted.Length) _deferredTokens = new int[Math.Max(emitted.Length, 2 * _deferredTokens.Length)];
        for (var i = 0; i < emitted.Length; i++) _deferredTokens[i] = _recorderIndex[emitted[i]];
        var count = emitted.Length;
        _deferredFinishes.Clear();
        for (var i = 0; i < result.Finished.Count; i++) _deferredFinishes.Add(IndexOf(result.Finished[i]));
        engine.LaunchSeconds = 0;
        TryStep(engine);
        var at = Now + (engine.Busy ? engine.LaunchSeconds : 0);
        _recorder.Tokens(_deferredTokens.AsSpan(0, count), at);
        foreach (var request in _deferredFinishes)
        {
            engine.InFlight--;
            Finish(request, at);
        }
    }

    private void Finish(int request) => Finish(request, Now);

    private void Finish(int request, double at)
    {
        _blockHashes[request] = null;
        _recorder.Finish(_recorderIndex[request], at);
        _finished++;
        if (StopWhen is { } stop && stop(at, at - _recorder.ArrivalOf(_recorderIndex[request]))) _stopped = true;
        var percent = (int)(100L * _finished / _workload.Count);
        if (percent != _lastProgressPercent)
        {
            _lastProgressPercent = percent;
            _progress?.Report(percent / 100.0);
        }
        if (_concurrency is not null) Issue(at);
        else FreeSlot(at);
    }

    private void HandOff(int request)
    {
        // The decode engine the router picked when the request arrived.
        var engine = _decode[_decodeOf[request]];
        var w = _workload[request];
        engine.InFlight++;
        engine.Scheduler.Add(new EngineRequest(_ids[request], w.InputTokens, w.OutputTokens, NowSpan, HashesFor(engine, request), EngineRequestKind.DecodeWithRemoteKv) { HostIndex = request });
        engine.AwaitingAdmission.Add(request);
        engine.InFlightTransfers++;
        TryStep(engine);
    }

    /// <summary>Starts the KV pulls of the requests the decode engine admitted; true when one was requeued to prefill locally instead.</summary>
    private bool StartTransfers(SimEngine decode)
    {
        var pending = decode.AwaitingAdmission;
        // Requests the scheduler admitted (blocks allocated) whose transfer has not started: those waiting for remote
        // KV less those whose transfer is under way. Usually none, and an overloaded decode engine queues thousands,
        // so a scan of the whole queue on every step made overload quadratic.
        var admitted = decode.Scheduler.NumWaitingForRemoteKv - (decode.InFlightTransfers - pending.Count);
        if (admitted <= 0) return false;
        var requeued = false;
        // Admission is FIFO, so they sit at the front: find them there, then start them newest first, as before.
        var found = _admittedScratch;
        found.Clear();
        for (var i = pending.Head; i < pending.Tail && found.Count < admitted; i++)
            if (pending[i] >= 0 && decode.Scheduler.TryGetRequest(_ids[pending[i]], out var r) && r.Status == EngineRequestStatus.WaitingForRemoteKv)
                found.Add(i);
        for (var f = found.Count - 1; f >= 0; f--)
        {
            var i = found[f];
            var request = pending[i];
            pending.RemoveAt(i);
            var prefill = _front[_prefillOf[request]];
            // Expiry frees blocks the prefill engine may be waiting for: let it step.
            if (prefill.Scheduler.ExpireLeases(NowSpan) > 0) TryStep(prefill);
            if (!prefill.Scheduler.HasLease(_ids[request]))
            {
                // The lease expired while the request queued for decode: vLLM's recompute policy prefills locally.
                _failedTransfers++;
                decode.InFlightTransfers--;
                decode.Scheduler.CompleteRemoteKvLoad(_ids[request], success: false, KvLoadFailurePolicy.Recompute);
                requeued = true;
                continue;
            }
            var link = prefill.Node is { } node && node == decode.Node ? _nvlink! : _efa!;
            var start = Math.Max(Now, decode.LinkFreeAt);
            var done = start + link.TransferSeconds(_workload[request].InputTokens);
            decode.LinkFreeAt = done;
            _transferSeconds += done - Now;
            decode.Landings.Enqueue(done);
            Push(done, new SimEvent(SimEventKind.TransferDone, decode.Index, request));
        }
        return requeued;
    }

    private void TransferDone(SimEngine decode, int request)
    {
        _transfers++;
        decode.InFlightTransfers--;
        decode.Landings.Dequeue();
        var prefill = _front[_prefillOf[request]];
        var id = _ids[request];
        if (prefill.Scheduler.ReleaseLease(id))
        {
            decode.Scheduler.CompleteRemoteKvLoad(id, success: true);
            TryStep(prefill);
        }
        else
        {
            _failedTransfers++;
            decode.Scheduler.CompleteRemoteKvLoad(id, success: false, KvLoadFailurePolicy.Recompute);
        }
        TryStep(decode);
    }

    private void Push(double at, SimEvent e) => _events.Enqueue(e, new SimTime(at, _sequence++));

    private static int IndexOf(EngineRequest r) => r.HostIndex;

    private int GlobalIndex(SimEngine engine) => engine.Role == EngineRole.Decode ? _front.Length + engine.Index : engine.Index;

    private SimEngine AllEngine(int global) => global < _front.Length ? _front[global] : _decode[global - _front.Length];

    private static SimEngine[] Build(EngineRole role, PoolSpec pool, AdmissionPolicy admission, IDecodeRunHost host, SimKvIndex? index, bool tracksBlockIds, bool cohort)
    {
        var engines = new SimEngine[pool.Replicas];
        for (var i = 0; i < engines.Length; i++)
            engines[i] = new SimEngine(role, i, pool.Nodes?[i], pool.Engine, admission, host, index?.Sink(SimEngine.IdOf(role, i)), tracksBlockIds, cohort);
        return engines;
    }
}
