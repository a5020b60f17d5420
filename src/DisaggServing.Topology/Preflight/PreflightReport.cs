namespace DisaggServing.Topology.Preflight;

/// <summary>Every finding of a preflight run, errors first.</summary>
/// <param name="Findings">The findings.</param>
public sealed record PreflightReport(IReadOnlyList<PreflightFinding> Findings)
{
    /// <summary>The errors.</summary>
    public IEnumerable<PreflightFinding> Errors => Findings.Where(f => f.Severity == PreflightSeverity.Error);

    /// <summary>The warnings.</summary>
    public IEnumerable<PreflightFinding> Warnings => Findings.Where(f => f.Severity == PreflightSeverity.Warning);

    /// <summary>True when any finding is an error: run and publish refuse the topology.</summary>
    public bool HasErrors => Errors.Any();
}
