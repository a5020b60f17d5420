namespace DisaggServing.Topology.Preflight;

/// <summary>One check of a topology. Rules are stateless; each reports every pool it finds at fault.</summary>
public abstract class PreflightRule
{
    /// <summary>Stable id, printed with every finding (kebab-case).</summary>
    public abstract string Id { get; }

    /// <summary>What the rule checks, in one sentence.</summary>
    public abstract string Description { get; }

    /// <summary>The rule's findings for <paramref name="context"/>'s topology.</summary>
    public abstract IEnumerable<PreflightFinding> Evaluate(PreflightContext context);

    /// <summary>An error of this rule.</summary>
    protected PreflightFinding Error(string? pool, string message, string fix) => new(Id, PreflightSeverity.Error, pool, message, fix);

    /// <summary>A warning of this rule.</summary>
    protected PreflightFinding Warning(string? pool, string message, string fix) => new(Id, PreflightSeverity.Warning, pool, message, fix);
}
