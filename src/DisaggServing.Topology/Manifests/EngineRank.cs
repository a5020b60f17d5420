namespace DisaggServing.Topology.Manifests;

/// <summary>Which pod of a replica a template is for.</summary>
internal enum EngineRank
{
    /// <summary>The only pod of a single-pod replica.</summary>
    Single,

    /// <summary>A LeaderWorkerSet leader: pipeline rank 0, serves HTTP.</summary>
    Leader,

    /// <summary>A LeaderWorkerSet worker: a later pipeline rank, headless.</summary>
    Worker,
}
