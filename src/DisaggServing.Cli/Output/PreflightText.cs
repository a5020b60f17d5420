using DisaggServing.Topology;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Cli.Output;

/// <summary>Preflight findings as plain lines, then a totals line.</summary>
internal static class PreflightText
{
    public static void Write(TextWriter writer, TopologySpec spec, PreflightReport report)
    {
        foreach (var finding in report.Findings) writer.WriteLine(finding.ToString());
        var errors = report.Errors.Count();
        var warnings = report.Warnings.Count();
        writer.WriteLine($"preflight '{spec.Name}': {errors} error(s), {warnings} warning(s) from {TopologyPreflight.Rules.Count} rules.");
    }
}
