using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Scheduling;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// One simulated engine replica: its scheduler, its step-time model and where it sits; to the simulated router, a
/// scheduling candidate that is always healthy and reports its scheduler's load.
/// </summary>
internal sealed class SimEngine : ISchedulingCandidate
{
    private readonly Scheduler _scheduler;
    private readonly IDecodeRunHost? _host;

    public SimEngine(EngineRole role, int index, int? node, EngineSpec spec, AdmissionPolicy admission,
        IDecodeRunHost? host = null, IKvEventSink? kvEvents = null, bool tracksBlockIds = true, bool cohort = false)
    {
        _host = host;
        Role = role;
        Index = index;
        Authority = IdOf(role, index);
        Node = node;
        Spec = spec;
        Model = new StepTimeModel(spec);
        var plan = MemoryModel.RequireFit(spec);
        _scheduler = new Scheduler(new SchedulerConfig
        {
            NumGpuBlocks = (int)Math.Min(plan.KvBlocks, int.MaxValue),
            BlockSize = spec.BlockSize,
            MaxNumSeqs = MemoryModel.RunningSeqsLimit(spec, plan),
            MaxNumBatchedTokens = spec.MaxNumBatchedTokens,
            MaxPrefillChunkTokens = spec.MaxPrefillChunkTokens,
            PromptRanks = spec.PromptRanks,
            AdmissionPolicy = admission,
            EnableChunkedPrefill = spec.EnableChunkedPrefill,
            TracksBlockIds = tracksBlockIds,
            MixPrefillWithDecode = spec.EffectiveMixedPrefillDecode,
            ContextHoldRanks = spec.ContextHoldRanks,
            ContextHoldTimeoutSteps = spec.AttentionDpBalanceSteps,
            // A hybrid model's running requests each hold their recurrent state beside their KV.
            StateBlocksPerRequest = MemoryModel.StateBlocksPerSequence(spec, plan),
            EnablePrefixCaching = spec.PrefixCachesPrompts,
            SpeculativeTokens = spec.Speculative?.DraftTokens ?? 0,
            AcceptanceLength = spec.Speculative?.AcceptanceLength ?? 1,
        }, kvEvents) { ReportsHostIndicesOnly = true };
        // Decoding requests as a cohort (Scheduler.UsesCohort) where the scheduler can keep one exactly (its aggregate
        // block count does not hold per-request state).
        if (cohort && spec.Model.Linear is null && spec.Speculative is null && spec.ContextHoldRanks == 0 && role != EngineRole.Prefill && !tracksBlockIds && spec.EffectiveMixedPrefillDecode && !spec.HoldsOutputUntilNextLaunch && admission != AdmissionPolicy.ReserveFull && host is not null)
        {
            _scheduler.UsesCohort = true;
            _scheduler.CohortLeft = (request, tokens) => _host!.CohortLeft(this, request, tokens);
        }
    }

    public EngineRole Role { get; }

    public int Index { get; }

    /// <summary>Node the replica is placed on (replicas of one node talk over NVLink); null when unplaced (shares no node).</summary>
    public int? Node { get; }

    public EngineSpec Spec { get; }

    public StepTimeModel Model { get; }

    /// <summary>
    /// The scheduler, brought up to the event being processed first: an open decode run ends with its step in flight
    /// (its blocks allocated now; that step completes in closed form with the steps before it), or, when that is the
    /// run's last step, closes (its completed steps applied, the step in flight left as a plain step), as whoever
    /// touches the scheduler may change what the next step does.
    /// </summary>
    public Scheduler Scheduler
    {
        get
        {
            if (Run.Open) _host!.CloseRun(this);
            return _scheduler;
        }
    }

    /// <summary>The scheduler as it stands, for the decode run's own bookkeeping.</summary>
    public Scheduler RawScheduler => _scheduler;

    /// <summary>The decode run in flight, if any (see <see cref="DecodeRun"/>).</summary>
    public DecodeRun Run { get; } = new();

    /// <summary>Stamp of the engine's one live StepDone event; a queued event with another stamp is stale.</summary>
    public int StepStamp { get; set; }

    /// <summary>The simulated time at which the engine's latest plain step (CompleteStep) ended, in seconds.</summary>
    public double LastStepEnd { get; set; }

    /// <summary>
    /// When the step in flight (or, between steps, the one that just ended) started, on the schedulers' clock: an engine
    /// that builds its next step while this one runs (<see cref="EngineSpec.SchedulesAhead"/>) built the next one then.
    /// </summary>
    public TimeSpan StepBegan { get; set; }

    /// <summary>The host's time to launch the step in flight (0 when replayed from a CUDA graph): an engine that hands out a step's tokens after launching the next (<see cref="EngineProfile.OutputAfterNextLaunch"/>) holds them back that long.</summary>
    public double LaunchSeconds { get; set; }

    /// <summary>When the host is done launching the step in flight (seconds): the overlap scheduler launches the next one from then, while the GPU still runs this one.</summary>
    public double HostFreeAt { get; set; }

    /// <summary>True while a step is in flight.</summary>
    public bool Busy { get; set; }

    /// <summary>Prefill: the lease expiry a wake-up is queued for (NaN when none), so one expiry queues one event.</summary>
    public double WakeAt { get; set; } = double.NaN;

    /// <summary>Decode: requests handed over whose blocks are not allocated yet (the transfer starts once they are).</summary>
    public AdmissionQueue AwaitingAdmission { get; } = new();

    /// <summary>Decode: when the inbound KV link is free again (transfers into one engine queue behind each other).</summary>
    public double LinkFreeAt { get; set; }

    /// <summary>Decode: transfers in flight or queued on the link.</summary>
    public int InFlightTransfers { get; set; }

    /// <summary>Decode: when the transfers under way land, earliest first (the link carries them one after another).</summary>
    public Queue<double> Landings { get; } = new();

    /// <summary>The id of replica <paramref name="index"/> of <paramref name="role"/>.</summary>
    public static string IdOf(EngineRole role, int index) => $"{role.ToString().ToLowerInvariant()}-{index}";

    /// <summary>The engine's id in the simulated KV index (<c>prefill-0</c>, <c>decode-3</c>, <c>colocated-1</c>).</summary>
    public string Authority { get; }

    public string? EngineId => Authority;

    /// <summary>
    /// What the router sees. Reading it during a decode run allocates the blocks the run's steps have taken by now
    /// (the same blocks stepping would have), and changes nothing else.
    /// </summary>
    public CandidateLoad Load
    {
        get
        {
            if (Run.Open) _host!.CatchUpRun(this);
            return new(_scheduler.NumWaiting + AwaitingAdmission.Count, _scheduler.NumRunning, _scheduler.KvCacheUsage);
        }
    }

    /// <summary>Requests the simulated router has in flight here: a prefill until it hands off, a decode until it finishes.</summary>
    public int InFlight { get; set; }

    public EndpointHealth Health => EndpointHealth.Healthy;

    public string? Revision => null;

    public bool ErroredRecently(long now, TimeProvider time, TimeSpan cooldown) => false;
}
