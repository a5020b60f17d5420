using DisaggServing.Engine.Clock;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests;

/// <summary>The building blocks used the way the offline simulator uses them, on a toy one-request-at-a-time server.</summary>
public class SimKitTogetherTests
{
    // Prefill 0.1 ms per prompt token, then 10 ms per output token; requests are served one at a time.
    private static SimulationReport RunToyServer(WorkloadRequest[] requests, SloSpec slo)
    {
        var clock = new VirtualTimeProvider();
        var recorder = new LatencyRecorder();
        var busyUntil = 0.0;
        foreach (var request in requests)
        {
            var id = recorder.Arrive(request.ArrivalSeconds);
            var t = Math.Max(busyUntil, request.ArrivalSeconds) + (request.InputTokens * 1e-4);
            for (var k = 0; k < request.OutputTokens; k++)
            {
                recorder.Token(id, t);
                t += k + 1 < request.OutputTokens ? 0.01 : 0;
            }

            recorder.Finish(id, t);
            busyUntil = t;
        }

        clock.AdvanceToSeconds(recorder.LastFinishSeconds);
        return recorder.BuildReport(slo, clock.ElapsedSeconds, wallSeconds: 0);
    }

    [Fact]
    public void Offline_fixed_workload_reports_the_expected_latencies()
    {
        var requests = WorkloadSpec.Parse("fixed:1000:11").Generate(10);
        var report = RunToyServer(requests, new SloSpec(ttftMs: 1000, tpotMs: 10.5));

        // Each request takes 0.1 s of prefill + 0.1 s of decode, back to back.
        Assert.Equal(2.0, report.SimulatedSeconds, 9);
        Assert.Equal(10, report.Completed);
        Assert.Equal(1000, report.TtftMs.P50, 6);
        Assert.Equal(1900, report.TtftMs.Max, 6);
        Assert.Equal(10, report.TpotMs.Max, 9);
        Assert.Equal(10, report.ItlMs.P99, 1);
        Assert.Equal(55, report.OutputTokensPerSecond, 9);

        // TTFTs are 0.1, 0.3, ..., 1.9 s: five are within one second.
        Assert.Equal(0.5, report.SloAttainment);
        Assert.Equal(2.5, report.GoodputRps, 9);
    }

    [Fact]
    public void Goodput_search_over_a_seeded_workload()
    {
        var slo = new SloSpec(ttftMs: 500, tpotMs: null);
        double Attainment(double rate) =>
            RunToyServer(WorkloadSpec.Parse("fixed:1000:11").Generate(200, rate, seed: 1), slo).SloAttainment;

        var result = GoodputSearch.FindMaxRate(Attainment, new GoodputSearchOptions { RelativeTolerance = 0.02 });

        // One request keeps the server busy 0.2 s, so capacity is 5 req/s; the TTFT bound is met a little below it.
        Assert.True(result.Converged);
        Assert.InRange(result.Rate, 1, 5);
        Assert.True(Attainment(result.Rate) >= 0.9);
        Assert.True(Attainment(result.FailingRate!.Value) < 0.9);
    }
}
