namespace DisaggServing.Engine.Performance;

/// <summary>
/// The MLPs an engine runs data-parallel behind attention DP (<see cref="EngineProfile.AttentionDpReplicatesMlp"/>):
/// dense layers' MLPs and shared experts, whose whole weights every rank holds and reads, computing them for its own
/// tokens, so those layers exchange nothing. The routed experts stay split across the ranks.
/// </summary>
internal static class AttentionDpMlp
{
    /// <summary>Whether <paramref name="spec"/> runs its non-routed MLPs data-parallel.</summary>
    public static bool Applies(EngineSpec spec) =>
        spec.AttentionDataParallel && spec.TensorParallel > 1 && spec.Engine.AttentionDpReplicatesMlp && spec.Model.Moe is not null;

    /// <summary>Parameters of the pipeline stage's non-routed MLPs (dense layers' MLPs and shared experts), whole.</summary>
    public static double StageParams(EngineSpec spec)
    {
        var m = spec.Model;
        var stageShare = (double)spec.LayersPerStage / m.Layers;
        var shared = m.MoeLayers * m.SharedExpertParamsPerLayer;
        return stageShare * (m.DenseMlpParamsAllLayers + shared);
    }

    /// <summary>
    /// Parameters each rank holds beyond its 1/TP share once the non-routed MLPs are replicated: (TP − 1)/TP of them,
    /// or none where <see cref="Applies"/> is false.
    /// </summary>
    public static double ExtraParamsPerGpu(EngineSpec spec) =>
        Applies(spec) ? StageParams(spec) * (spec.TensorParallel - 1) / spec.TensorParallel : 0;
}
