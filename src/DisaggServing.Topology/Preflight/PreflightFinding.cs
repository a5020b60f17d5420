namespace DisaggServing.Topology.Preflight;

/// <summary>One problem a preflight rule found.</summary>
/// <param name="RuleId">Id of the rule, e.g. <c>nixl-tp-pairing</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Pool">The pool (or NodePool) concerned; null when the whole topology is.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record PreflightFinding(string RuleId, PreflightSeverity Severity, string? Pool, string Message, string Fix)
{
    /// <summary>One line: <c>error [rule] pool 'name': message Fix: fix</c>.</summary>
    public override string ToString() =>
        $"{(Severity == PreflightSeverity.Error ? "error" : "warning")} [{RuleId}] {(Pool is null ? "topology" : $"pool '{Pool}'")}: {Message} Fix: {Fix}";
}
