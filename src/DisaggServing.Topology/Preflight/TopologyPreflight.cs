namespace DisaggServing.Topology.Preflight;

/// <summary>Runs preflight rules over a topology.</summary>
public static class TopologyPreflight
{
    /// <summary>Every rule, in the order findings are reported.</summary>
    public static IReadOnlyList<PreflightRule> Rules { get; } = PreflightRules.Create();

    /// <summary>Checks <paramref name="spec"/> with <paramref name="rules"/> (all rules when null); errors first, then by rule order.</summary>
    public static PreflightReport Run(TopologySpec spec, IEnumerable<PreflightRule>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Run(ResolvedTopology.Resolve(spec), rules);
    }

    /// <summary>Checks an already resolved topology with <paramref name="rules"/> (all rules when null).</summary>
    public static PreflightReport Run(ResolvedTopology topology, IEnumerable<PreflightRule>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var context = new PreflightContext(topology);
        var findings = (rules ?? Rules).SelectMany(r => r.Evaluate(context)).ToList();
        return new PreflightReport(findings.OrderBy(f => f.Severity).ToList());
    }
}
