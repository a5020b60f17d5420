using DisaggServing.Topology.Preflight.Rules;

namespace DisaggServing.Topology.Preflight;

/// <summary>The rule set, in reporting order: catalog and shape first, then memory, then fabric, then scheduling.</summary>
internal static class PreflightRules
{
    public static IReadOnlyList<PreflightRule> Create() =>
    [
        new NamesRule(),
        new CatalogRule(),
        new CheckpointDtypeRule(),
        new SpeculationRule(),
        new SizesRule(),
        new ServingEngineRule(),
        new EngineRunsFormatRule(),
        new GpuMatchesInstanceRule(),
        new TpDividesHeadsRule(),
        new PodFitsNodeRule(),
        new ModelFitsMemoryRule(),
        new ContextFitsKvRule(),
        new LwsSizeRule(),
        new PdPairsRule(),
        new NixlPipelineParallelRule(),
        new NixlTpPairingRule(),
        new NixlTpRatioRule(),
        new EfaLibfabricRule(),
        new EfaRuntimeRule(),
        new PdSameImageRule(),
        new ModelCacheRule(),
        new PdSameZoneRule(),
        new SideChannelPortsRule(),
        new NodePoolExistsRule(),
        new NodePoolInstanceTypesRule(),
        new NodePoolGpuLimitRule(),
        new NodePoolDisruptionRule(),
        new KarpenterNodeClassRule(),
        new AutoscalingRule(),
        new ToleratesTaintsRule(),
        new DisaggregatedSetRule(),
    ];
}
