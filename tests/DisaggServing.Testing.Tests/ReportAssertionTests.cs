using DisaggServing.Bench;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Testing.Tests;

public sealed class ReportAssertionTests
{
    private static readonly SloSpec Slo = new(ttftMs: 100, tpotMs: 20);

    // Streamed requests: 3 meet the SLO (TTFT 50 ms, TPOT 10 ms), 1 misses TTFT (300 ms), 1 failed with a 503.
    private static BenchReport Report()
    {
        var settings = new LoadSpec { Workload = WorkloadSpec.Fixed(8, 5), Rate = 5, Requests = 5, Slo = Slo }
            .ToBenchSettings(new Uri("http://127.0.0.1:1"), "m");
        BenchOutcome[] outcomes =
        [
            new(0.0, null, 8, 5, 0.05, 0.09, [0.01, 0.01, 0.01, 0.01]),
            new(0.2, null, 8, 5, 0.05, 0.09, [0.01, 0.01, 0.01, 0.01]),
            new(0.4, null, 8, 5, 0.05, 0.09, [0.01, 0.01, 0.01, 0.01]),
            new(0.6, null, 8, 5, 0.30, 0.34, [0.01, 0.01, 0.01, 0.01]),
            BenchOutcome.Failed(0.8, "503", 8),
        ];
        return BenchReport.Build(settings, outcomes, 1.0);
    }

    [Fact]
    public void Attainment_at_or_above_the_bound_passes()
    {
        Report().AssertSloAttainment(0.6);
    }

    [Fact]
    public void Attainment_below_the_bound_fails_with_the_numbers_and_the_errors()
    {
        var error = Assert.Throws<DisaggAssertionException>(() => Report().AssertSloAttainment(0.95));

        Assert.Contains("SLO attainment 60.0% is below the required 95.0% for SLO ttft<=100ms tpot<=20ms: 3 of 5 requests met it", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed 1 (503: 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("TTFT ms p50 50.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lost_request_fails_naming_its_kind()
    {
        var error = Assert.Throws<DisaggAssertionException>(() => Report().AssertNoRequestLost());

        Assert.StartsWith("1 of 5 requests were lost (503: 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Goodput_below_the_bound_fails_with_the_measured_rate()
    {
        Report().AssertGoodput(3);
        var error = Assert.Throws<DisaggAssertionException>(() => Report().AssertGoodput(3.5));

        Assert.StartsWith("Goodput 3.00 req/s is below the required 3.50 req/s", error.Message, StringComparison.Ordinal);
    }
}
