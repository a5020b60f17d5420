using System.Text.Json.Serialization;
using DisaggServing.Topology;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Cli.Output;

/// <summary>The JSON shape of <c>disagg preflight --json</c>.</summary>
internal sealed record PreflightJson(
    [property: JsonPropertyName("topology")] string Topology,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("warnings")] int Warnings,
    [property: JsonPropertyName("findings")] IReadOnlyList<PreflightJson.Finding> Findings)
{
    public static PreflightJson Of(TopologySpec spec, PreflightReport report) => new(
        spec.Name,
        report.Errors.Count(),
        report.Warnings.Count(),
        report.Findings.Select(f => new Finding(f.RuleId, f.Severity == PreflightSeverity.Error ? "error" : "warning", f.Pool, f.Message, f.Fix)).ToList());

    /// <summary>One finding.</summary>
    internal sealed record Finding(
        [property: JsonPropertyName("rule")] string Rule,
        [property: JsonPropertyName("severity")] string Severity,
        [property: JsonPropertyName("pool")] string? Pool,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("fix")] string Fix);
}
