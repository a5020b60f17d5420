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
    public SimEngine(EngineRole role, int index, int? node, EngineSpec spec, AdmissionPolicy admission, IKvEventSink? kvEvents = null)
    {
        Role = role;
        Index = index;
        Authority = IdOf(role, index);
        Node = node;
        Spec = spec;
        Model = new StepTimeModel(spec);
        var plan = MemoryModel.RequireFit(spec);
        Scheduler = new Scheduler(new SchedulerConfig
        {
            NumGpuBlocks = (int)Math.Min(plan.KvBlocks, int.MaxValue),
            BlockSize = spec.BlockSize,
            MaxNumSeqs = spec.MaxNumSeqs,
            MaxNumBatchedTokens = spec.MaxNumBatchedTokens,
            AdmissionPolicy = admission,
            EnableChunkedPrefill = spec.EnableChunkedPrefill,
        }, kvEvents);
    }

    public EngineRole Role { get; }

    public int Index { get; }

    /// <summary>Node the replica is placed on (replicas of one node talk over NVLink); null when unplaced (shares no node).</summary>
    public int? Node { get; }

    public EngineSpec Spec { get; }

    public StepTimeModel Model { get; }

    public Scheduler Scheduler { get; }

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

    /// <summary>The id of replica <paramref name="index"/> of <paramref name="role"/>.</summary>
    public static string IdOf(EngineRole role, int index) => $"{role.ToString().ToLowerInvariant()}-{index}";

    /// <summary>The engine's id in the simulated KV index (<c>prefill-0</c>, <c>decode-3</c>, <c>colocated-1</c>).</summary>
    public string Authority { get; }

    public string? EngineId => Authority;

    public CandidateLoad Load => new(Scheduler.NumWaiting + AwaitingAdmission.Count, Scheduler.NumRunning, Scheduler.KvCacheUsage);

    /// <summary>Requests the simulated router has in flight here: a prefill until it hands off, a decode until it finishes.</summary>
    public int InFlight { get; set; }

    public EndpointHealth Health => EndpointHealth.Healthy;

    public string? Revision => null;

    public bool ErroredRecently(long now, TimeProvider time, TimeSpan cooldown) => false;
}
