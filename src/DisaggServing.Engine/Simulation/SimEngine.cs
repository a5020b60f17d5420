using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Routing;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Simulation;

/// <summary>One simulated engine replica: its scheduler, its step-time model and where it sits.</summary>
internal sealed class SimEngine
{
    private readonly Scheduler _scheduler;
    private readonly IDecodeRunHost? _host;

    public SimEngine(EngineRole role, int index, int? node, EngineSpec spec, AdmissionPolicy admission, IDecodeRunHost? host = null)
    {
        _host = host;
        Role = role;
        Index = index;
        Node = node;
        Spec = spec;
        Model = new StepTimeModel(spec);
        var plan = MemoryModel.RequireFit(spec);
        _scheduler = new Scheduler(new SchedulerConfig
        {
            NumGpuBlocks = (int)Math.Min(plan.KvBlocks, int.MaxValue),
            BlockSize = spec.BlockSize,
            MaxNumSeqs = spec.MaxNumSeqs,
            MaxNumBatchedTokens = spec.MaxNumBatchedTokens,
            AdmissionPolicy = admission,
            EnableChunkedPrefill = spec.EnableChunkedPrefill,
        });
    }

    public EngineRole Role { get; }

    public int Index { get; }

    /// <summary>Node the replica is placed on (replicas of one node talk over NVLink); null when unplaced (shares no node).</summary>
    public int? Node { get; }

    public EngineSpec Spec { get; }

    public StepTimeModel Model { get; }

    /// <summary>
    /// The scheduler, brought up to the event being processed first: an open decode run is closed (its completed
    /// steps applied, the step in flight left as a plain step), as whoever touches the scheduler may change it.
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

    /// <summary>True while a step is in flight.</summary>
    public bool Busy { get; set; }

    /// <summary>Prefill: the lease expiry a wake-up is queued for (NaN when none), so one expiry queues one event.</summary>
    public double WakeAt { get; set; } = double.NaN;

    /// <summary>Decode: requests handed over whose blocks are not allocated yet (the transfer starts once they are).</summary>
    public List<int> AwaitingAdmission { get; } = [];

    /// <summary>Decode: when the inbound KV link is free again (transfers into one engine queue behind each other).</summary>
    public double LinkFreeAt { get; set; }

    /// <summary>Decode: transfers in flight or queued on the link.</summary>
    public int InFlightTransfers { get; set; }

    /// <summary>What the router sees. Reading it during a decode run allocates the blocks the run's steps have taken by now, and changes nothing else.</summary>
    public EngineLoad Load
    {
        get
        {
            if (Run.Open) _host!.CatchUpRun(this);
            return new(_scheduler.NumWaiting + AwaitingAdmission.Count, _scheduler.NumRunning, _scheduler.KvCacheUsage, InFlightTransfers);
        }
    }
}
