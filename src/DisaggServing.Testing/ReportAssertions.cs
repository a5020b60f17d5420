using System.Globalization;
using DisaggServing.Bench;

namespace DisaggServing.Testing;

/// <summary>
/// Assertions on a load report, live or deterministic. A failure throws a <see cref="DisaggAssertionException"/> whose
/// message states the bound, the measured value and the report's summary (latencies, failures by kind).
/// </summary>
public static class ReportAssertions
{
    /// <summary>At least <paramref name="atLeast"/> (0–1) of the requests sent met the report's SLO.</summary>
    public static BenchReport AssertSloAttainment(this BenchReport report, double atLeast)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (atLeast is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(atLeast), atLeast, "Attainment is a fraction from 0 to 1.");
        if (report.SloAttainment < atLeast)
            throw new DisaggAssertionException(Invariant(
                $"SLO attainment {report.SloAttainment * 100:F1}% is below the required {atLeast * 100:F1}% for SLO {report.Slo}: {Math.Round(report.SloAttainment * report.Requests)} of {report.Requests} requests met it.\n{Summary(report)}"));
        return report;
    }

    /// <summary>At least <paramref name="requestsPerSecond"/> requests per second met the report's SLO.</summary>
    public static BenchReport AssertGoodput(this BenchReport report, double requestsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.GoodputRps < requestsPerSecond)
            throw new DisaggAssertionException(Invariant(
                $"Goodput {report.GoodputRps:F2} req/s is below the required {requestsPerSecond:F2} req/s at SLO {report.Slo}.\n{Summary(report)}"));
        return report;
    }

    /// <summary>Every request sent completed: no error of any kind (HTTP status, timeout, connection, stream error).</summary>
    public static BenchReport AssertNoRequestLost(this BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Failed > 0 || report.Completed != report.Requests)
            throw new DisaggAssertionException(Invariant(
                $"{report.Failed} of {report.Requests} requests were lost ({Errors(report)}); every request should complete.\n{Summary(report)}"));
        return report;
    }

    /// <summary>The report in a few lines, as the assertion messages show it.</summary>
    public static string Summary(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Invariant($"""
              load: {report.Requests} requests of {report.Workload}, {report.Load}{(report.Rate is { } r ? $" at {r} req/s" : "")}{(report.Concurrency is { } c ? $", concurrency {c}" : "")}, {report.Model} at {report.Endpoint}
              completed {report.Completed}, failed {report.Failed} ({Errors(report)}) in {report.DurationSeconds:F1} s
              TTFT ms p50 {report.TtftMs.P50:F1} p90 {report.TtftMs.P90:F1} p99 {report.TtftMs.P99:F1}; TPOT ms p50 {report.TpotMs.P50:F2} p99 {report.TpotMs.P99:F2}; ITL ms p99 {report.ItlMs.P99:F2}; e2e ms p99 {report.E2eMs.P99:F1}
              SLO {report.Slo}: attainment {report.SloAttainment * 100:F1}%, goodput {report.GoodputRps:F2} req/s
            """);
    }

    private static string Errors(BenchReport report) =>
        report.Errors.Count == 0 ? "no errors" : string.Join(", ", report.Errors.Select(e => $"{e.Key}: {e.Value}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
