using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Clock;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.Observability;

namespace DisaggServing.Worker.Runtime;

/// <summary>
/// The engine replica: the Engine's scheduler driven by one background loop (schedule → step time from the
/// performance model → wait on the clock → complete → deliver tokens), plus leases for remote decoders and
/// remote-KV loads for this engine's decodes. The scheduler is single-threaded, so every access holds one lock.
/// The KV connector's two roles are seams: the engine is the <see cref="IKvLeases"/> the KV side channel serves
/// from, and loads remote KV through an <see cref="IRemoteKvLoader"/>, so the engine knows no transport.
/// </summary>
public sealed class EngineHost : BackgroundService, IKvLeases
{
    private readonly Lock _gate = new();
    private readonly WorkerSettings _settings;
    private readonly Scheduler _scheduler;
    private readonly IStepTimeModel _stepTime;
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly WorkerMetrics _metrics;
    private readonly IKvTelemetrySink _telemetry;
    private readonly IRemoteKvLoader _loader;
    private readonly IKvSideChannelAddress _endpoints;
    private readonly ILogger<EngineHost> _logger;
    private readonly WakeSignal _wake = new();
    private readonly Dictionary<string, RequestHandle> _live = new(StringComparer.Ordinal);
    private readonly List<RequestHandle> _awaitingKvBlocks = [];
    // Open leases and when they expire, for the idle timer (the scheduler keeps the authoritative state).
    private readonly Dictionary<string, TimeSpan> _leases = new(StringComparer.Ordinal);
    private readonly List<string> _expired = [];
    private volatile bool _running;

    public EngineHost(
        WorkerSettings settings,
        TimeProvider time,
        IKvEventSink kvEvents,
        WorkerMetrics metrics,
        IKvTelemetrySink telemetry,
        IRemoteKvLoader loader,
        IKvSideChannelAddress endpoints,
        ILogger<EngineHost> logger)
    {
        _settings = settings;
        _time = time;
        _epoch = time.GetTimestamp();
        _metrics = metrics;
        _telemetry = telemetry;
        _loader = loader;
        _endpoints = endpoints;
        _logger = logger;
        _scheduler = new Scheduler(settings.Scheduler, kvEvents);
        _stepTime = new StepTimeModel(settings.Spec);
        metrics.Registry.BeforeCollect(RefreshMetrics);
    }

    /// <summary>The simulated clock the engine runs on (wall clock × Worker:SpeedFactor).</summary>
    public static TimeProvider CreateClock(WorkerSettings settings) => new ScaledTimeProvider(TimeProvider.System, settings.SpeedFactor);

    /// <summary>True while the engine loop runs (the readiness check).</summary>
    public bool IsRunning => _running;

    /// <summary>Engine time: simulated time since start.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_epoch);

    /// <summary>
    /// Queues a request. Throws <see cref="ArgumentException"/> when the engine could never hold it (the API
    /// validates lengths first, so this is a bug guard).
    /// </summary>
    public RequestHandle Submit(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var id = "req-" + Guid.NewGuid().ToString("N");
        var hashes = PromptTokenizer.BlockHashes(job.PromptTokens, _settings.BlockSize);
        var request = new EngineRequest(id, job.PromptTokens.Count, job.MaxOutputTokens, Now, hashes, job.Kind);
        var handle = new RequestHandle(request, job, DateTimeOffset.UtcNow);
        lock (_gate)
        {
            _scheduler.Add(request);
            _live.Add(id, handle);
            if (job.Kind == EngineRequestKind.DecodeWithRemoteKv)
                _awaitingKvBlocks.Add(handle);
        }
        _wake.Set();
        return handle;
    }

    /// <summary>Ends a request in whatever state it is and frees its blocks (client gone). No-op once it finished.</summary>
    public void Abort(RequestHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_gate)
        {
            if (handle.IsDone)
                return;
            _scheduler.Abort(handle.Id);
            _live.Remove(handle.Id);
            _awaitingKvBlocks.Remove(handle);
            _metrics.Aborted.Inc();
            handle.Complete(new RequestOutcome(EngineFinishReason.Abort, handle.Request.NumOutputTokens, handle.Request.NumCachedTokens, Error: "The request was aborted.", ErrorCode: "aborted"), DateTimeOffset.UtcNow);
        }
        handle.CancelWork();
        _wake.Set();
    }

    /// <inheritdoc />
    public bool TryGetLease(string leaseId, out KvLease lease)
    {
        lock (_gate)
            return _scheduler.TryGetLease(leaseId, out lease);
    }

    /// <inheritdoc />
    /// <remarks>The expiry moves to now + Worker:LeaseSeconds.</remarks>
    public bool ExtendLease(string leaseId, out TimeSpan expiresIn)
    {
        lock (_gate)
        {
            var now = Now;
            if (!_scheduler.ExtendLease(leaseId, now) || !_scheduler.TryGetLease(leaseId, out var lease))
            {
                expiresIn = TimeSpan.Zero;
                return false;
            }
            _leases[leaseId] = lease.ExpiresAt;
            expiresIn = lease.ExpiresAt - now;
            _telemetry.ReportLease(leaseId, LeaseEvent.Extended, lease.BlockIds.Length);
            return true;
        }
    }

    /// <inheritdoc />
    public bool ReleaseLease(string leaseId)
    {
        lock (_gate)
        {
            var blocks = _scheduler.TryGetLease(leaseId, out var lease) ? lease.BlockIds.Length : 0;
            if (!_scheduler.ReleaseLease(leaseId))
                return false;
            _leases.Remove(leaseId);
            _telemetry.ReportLease(leaseId, LeaseEvent.Released, blocks);
            return true;
        }
    }

    /// <summary>Releases every open lease (a draining worker whose decoders did not pull in time); returns how many.</summary>
    public int ReleaseAllLeases()
    {
        string[] open;
        lock (_gate)
            open = [.. _leases.Keys];
        var released = 0;
        foreach (var leaseId in open)
            if (ReleaseLease(leaseId)) released++;
        return released;
    }

    public EngineSnapshot Snapshot()
    {
        lock (_gate)
        {
            var kv = _scheduler.KvCache;
            return new EngineSnapshot(
                _scheduler.NumRunning,
                _scheduler.NumWaiting,
                _scheduler.NumWaitingForRemoteKv,
                kv.UsedBlocks,
                kv.TotalBlocks,
                kv.Usage,
                _scheduler.NumLeases,
                _scheduler.NumPreemptions,
                kv.PrefixCacheQueries,
                kv.PrefixCacheHits,
                _scheduler.NumExpiredLeases);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _running = true;
        _logger.LogInformation(
            "Engine {EngineId} ({Role}) serving {Model} on {Gpu} TP={Tp} PP={Pp} {Dtype}: {Blocks} KV blocks of {BlockSize} tokens, max model len {MaxModelLen}{Instant}",
            _settings.EngineId, _settings.RoleName, _settings.ModelId, _settings.Spec.Gpu.Id, _settings.Tp, _settings.Spec.PipelineParallel,
            _settings.Spec.WeightDtype.Name(), _settings.Scheduler.NumGpuBlocks, _settings.BlockSize, _settings.MaxModelLen,
            _settings.InstantEngine ? " (instant engine)" : "");
        try
        {
            await RunLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "The engine loop failed");
            throw;
        }
        finally
        {
            _running = false;
            FailAll("The engine is shutting down.");
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        List<(RequestHandle, KvPullPlan)> pulls = [];
        // The start of the step that just ended (null after an idle wait): an engine that schedules ahead
        // (EngineSpec.SchedulesAhead) built the next step then, so it admits only the requests that had arrived by it.
        TimeSpan? previousStepBegan = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool busy;
            double stepSeconds = 0;
            lock (_gate)
            {
                var now = Now;
                ExpireLeasesLocked(now);
                var batch = _scheduler.Schedule(now, _settings.Spec.SchedulesAhead ? previousStepBegan : null);
                busy = !batch.IsEmpty;
                previousStepBegan = busy ? now : null;
                if (busy)
                {
                    OnScheduledLocked(batch, now);
                    stepSeconds = _settings.InstantEngine ? 0 : _stepTime.StepSeconds(batch.Shape);
                }
                CollectPullsLocked(pulls);
            }
            foreach (var (handle, plan) in pulls)
                _ = LoadRemoteKvAsync(handle, plan);
            pulls.Clear();

            if (!busy)
            {
                await _wake.WaitAsync(IdleTimeout(), _time, stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (stepSeconds > 0)
                await Task.Delay(TimeSpan.FromSeconds(stepSeconds), _time, stoppingToken).ConfigureAwait(false);
            else
                await Task.Yield();
            lock (_gate)
                DeliverLocked(_scheduler.CompleteStep(Now));
        }
    }

    /// <summary>How long the idle loop may sleep: until the earliest lease expires, or until new work.</summary>
    private TimeSpan IdleTimeout()
    {
        lock (_gate)
        {
            if (_leases.Count == 0)
                return Timeout.InfiniteTimeSpan;
            var next = _leases.Values.Min() - Now;
            return next < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : next;
        }
    }

    private void ExpireLeasesLocked(TimeSpan now)
    {
        if (_scheduler.NumLeases == 0)
            return;
        _expired.Clear();
        if (_scheduler.ExpireLeases(now, _expired) == 0)
            return;
        foreach (var leaseId in _expired)
        {
            _leases.Remove(leaseId);
            _metrics.ExpiredLeases.Inc();
            _telemetry.ReportLease(leaseId, LeaseEvent.Expired, 0);
            _logger.LogInformation("Lease {Lease} expired before a decoder pulled it; its blocks are freed", leaseId);
        }
    }

    private void OnScheduledLocked(ScheduledBatch batch, TimeSpan now)
    {
        _metrics.EngineSteps.Inc();
        var wall = DateTimeOffset.UtcNow;
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i].Request;
            if (request.FirstScheduledTime != now || !_live.TryGetValue(request.Id, out var handle) || handle.FirstScheduledWall is not null)
                continue;
            handle.FirstScheduledWall = wall;
            _metrics.QueueTime.Observe((now - request.ArrivalTime).TotalSeconds);
        }
    }

    /// <summary>Decodes whose prompt blocks are now allocated start pulling their KV.</summary>
    private void CollectPullsLocked(List<(RequestHandle, KvPullPlan)> pulls)
    {
        for (var i = _awaitingKvBlocks.Count - 1; i >= 0; i--)
        {
            var handle = _awaitingKvBlocks[i];
            var request = handle.Request;
            if (request.Status != EngineRequestStatus.WaitingForRemoteKv)
                continue;
            _awaitingKvBlocks.RemoveAt(i);
            handle.FirstScheduledWall ??= DateTimeOffset.UtcNow;
            var plan = new KvPullPlan(request.Id, handle.Job.ClientRequestId, handle.Job.Remote!, request.Blocks.Count,
                request.NumCachedTokens / _settings.BlockSize, request.PromptTokens, handle.Job.Parent);
            pulls.Add((handle, plan));
        }
    }

    private async Task LoadRemoteKvAsync(RequestHandle handle, KvPullPlan plan)
    {
        RemoteKvLoad load;
        try
        {
            load = await _loader.LoadAsync(plan, handle.AbortToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (handle.AbortToken.IsCancellationRequested)
        {
            return; // aborted: Abort already freed the blocks
        }
        catch (Exception e)
        {
            // A loader that throws must not strand the request in WaitingForRemoteKv: treat it as a failed load.
            load = new RemoteKvLoad(
                _settings.KvLoadFailurePolicy == KvLoadFailurePolicy.Fail ? RemoteKvLoadOutcome.Fail : RemoteKvLoadOutcome.Recompute, e.Message);
        }
        lock (_gate)
        {
            var policy = load.Outcome == RemoteKvLoadOutcome.Fail ? KvLoadFailurePolicy.Fail : KvLoadFailurePolicy.Recompute;
            if (!_scheduler.CompleteRemoteKvLoad(handle.Id, load.Outcome == RemoteKvLoadOutcome.Loaded, policy))
                return;
            if (load.Outcome == RemoteKvLoadOutcome.Fail)
            {
                _live.Remove(handle.Id);
                _metrics.RequestSuccess.WithLabels("error").Inc();
                handle.Complete(new RequestOutcome(EngineFinishReason.Error, 0, handle.Request.NumCachedTokens,
                    Error: "Loading the remote KV cache failed (kv_load_failure_policy=fail): " + load.Error, ErrorCode: "kv_load_failed"), DateTimeOffset.UtcNow);
            }
            else if (load.Outcome == RemoteKvLoadOutcome.Recompute)
            {
                _metrics.KvRecomputes.Inc();
            }
        }
        _wake.Set();
    }

    private void DeliverLocked(StepResult result)
    {
        var now = result.CompletedAt;
        var wall = DateTimeOffset.UtcNow;
        foreach (var request in result.Emitted)
        {
            if (!_live.TryGetValue(request.Id, out var handle))
                continue;
            var count = request.NumOutputTokens;
            _metrics.GenerationTokens.Inc();
            // A speculative decode is listed once per token it gained; they stream as one chunk with one gap (vLLM
            // observes its inter-token latency once a step).
            if (count == handle.DeliveredTokens)
                continue;
            handle.DeliveredTokens = count;
            if (count == 1)
            {
                _metrics.Ttft.Observe((now - request.ArrivalTime).TotalSeconds);
                _metrics.PromptTokens.Inc(request.PromptTokens);
                handle.FirstTokenWall = wall;
            }
            else
            {
                _metrics.Itl.Observe((now - handle.LastTokenAt).TotalSeconds);
            }
            handle.LastTokenAt = now;
            handle.Emit(count);
        }
        foreach (var request in result.Finished)
        {
            if (!_live.Remove(request.Id, out var handle))
                continue;
            KvTransferParams? kv = null;
            if (request.Status == EngineRequestStatus.Leased && _scheduler.TryGetLease(request.Id, out var lease))
            {
                _leases[request.Id] = lease.ExpiresAt;
                _telemetry.ReportLease(request.Id, LeaseEvent.Granted, lease.BlockIds.Length);
                kv = new KvTransferParams
                {
                    DoRemotePrefill = true,
                    DoRemoteDecode = false,
                    RemoteBlockIds = [[.. lease.BlockIds]],
                    RemoteEngineId = _settings.EngineId,
                    RemoteRequestId = request.Id,
                    RemoteHost = _endpoints.AdvertisedHost,
                    RemotePort = _endpoints.KvPort,
                    TpSize = _settings.Tp,
                };
            }
            _metrics.E2e.Observe((now - request.ArrivalTime).TotalSeconds);
            _metrics.RequestSuccess.WithLabels("length").Inc();
            _metrics.RequestsByPhase.WithLabels(Phase(request.Kind)).Inc();
            handle.Complete(new RequestOutcome(EngineFinishReason.Length, request.NumOutputTokens, request.NumCachedTokens, kv), wall);
        }
    }

    private static string Phase(EngineRequestKind kind) => kind switch
    {
        EngineRequestKind.PrefillForRemoteDecode => "prefill",
        EngineRequestKind.DecodeWithRemoteKv => "decode",
        _ => "both",
    };

    private void FailAll(string error)
    {
        List<RequestHandle> handles;
        lock (_gate)
        {
            handles = [.. _live.Values];
            foreach (var handle in handles)
            {
                _scheduler.Abort(handle.Id);
                handle.Complete(new RequestOutcome(EngineFinishReason.Error, handle.Request.NumOutputTokens, 0, Error: error, ErrorCode: "engine_stopped"), DateTimeOffset.UtcNow);
            }
            _live.Clear();
            _awaitingKvBlocks.Clear();
        }
        foreach (var handle in handles)
            handle.CancelWork();
    }

    private void RefreshMetrics()
    {
        var s = Snapshot();
        _metrics.Running.Set(s.Running);
        _metrics.Waiting.Set(s.Waiting + s.WaitingForRemoteKv);
        _metrics.WaitingForRemoteKv.Set(s.WaitingForRemoteKv);
        _metrics.KvCacheUsage.Set(s.KvCacheUsage);
        _metrics.KvBlocksUsed.Set(s.BlocksUsed);
        _metrics.KvLeasesOpen.Set(s.LeasesOpen);
        _metrics.Preemptions.IncTo(s.Preemptions);
        _metrics.PrefixCacheQueries.IncTo(s.PrefixCacheQueries);
        _metrics.PrefixCacheHits.IncTo(s.PrefixCacheHits);
    }
}
