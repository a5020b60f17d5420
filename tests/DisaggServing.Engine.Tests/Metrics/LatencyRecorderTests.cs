using System.Text.Json;
using DisaggServing.Engine.Metrics;

namespace DisaggServing.Engine.Tests.Metrics;

public class LatencyRecorderTests
{
    // Request 0: arrives 0, tokens at 0.1, 0.12, 0.14, 0.16 -> ttft 100 ms, tpot 20 ms, e2e 160 ms.
    // Request 1: arrives 1, tokens at 1.5, 1.6 -> ttft 500 ms, tpot 100 ms, e2e 600 ms.
    // Request 2: arrives 2, one token at 2.05 -> ttft 50 ms, no tpot, e2e 50 ms.
    // Request 3: arrives 3, one token at 3.3, never finishes.
    private static LatencyRecorder Recorded()
    {
        var recorder = new LatencyRecorder();
        var a = recorder.Arrive(0);
        var b = recorder.Arrive(1);
        foreach (var t in new[] { 0.1, 0.12, 0.14, 0.16 })
        {
            recorder.Token(a, t);
        }

        recorder.Finish(a, 0.16);
        recorder.Token(b, 1.5);
        recorder.Token(b, 1.6);
        recorder.Finish(b, 1.6);

        var c = recorder.Arrive(2);
        recorder.Token(c, 2.05);
        recorder.Finish(c, 2.05);

        var d = recorder.Arrive(3);
        recorder.Token(d, 3.3);
        return recorder;
    }

    [Fact]
    public void Computes_ttft_tpot_and_e2e_per_request()
    {
        var completed = Recorded().GetCompleted();
        Assert.Equal([0, 1, 2], completed.Select(r => r.Request));
        Assert.Equal([0.1, 0.5, 0.05], completed.Select(r => Math.Round(r.TtftSeconds, 9)));
        Assert.Equal([0.02, 0.1, (double?)null], completed.Select(r => r.TpotSeconds is { } t ? Math.Round(t, 9) : (double?)null));
        Assert.Equal([0.16, 0.6, 0.05], completed.Select(r => Math.Round(r.E2eSeconds, 9)));
        Assert.Equal([4, 2, 1], completed.Select(r => r.OutputTokens));
    }

    [Fact]
    public void Itl_counts_every_gap_including_unfinished_requests()
    {
        var itl = Recorded().InterTokenLatency();
        Assert.Equal(4, itl.Count);
        Assert.Equal((20 + 20 + 20 + 100) / 4.0, itl.Mean, 6);
        Assert.Equal(100, itl.Max, 6);
        Assert.Equal(20, itl.P50, 1);
        Assert.InRange(itl.P99, 99.9, 100.000001);
    }

    [Fact]
    public void Report_has_the_counts_rates_and_slo_figures()
    {
        var recorder = Recorded();
        var report = recorder.BuildReport(new SloSpec(ttftMs: 200, tpotMs: 50), simulatedSeconds: 4, wallSeconds: 0.5);

        Assert.Equal(4, report.Requests);
        Assert.Equal(3, report.Completed);
        Assert.Equal(2.05, recorder.LastFinishSeconds);

        // Requests 0 and 2 meet both bounds; 1 misses TTFT; 3 never finished.
        Assert.Equal(0.5, report.SloAttainment);
        Assert.Equal(0.5, report.GoodputRps);
        Assert.Equal(7 / 4.0, report.OutputTokensPerSecond);
        Assert.Equal(3 / 4.0, report.RequestsPerSecond);
        Assert.Equal(3, report.TtftMs.Count);
        Assert.Equal(2, report.TpotMs.Count);
        Assert.Equal(100, report.TtftMs.P50, 6);
        Assert.Equal(600, report.E2eMs.Max, 6);
        Assert.Equal(4, report.SimulatedSeconds);
        Assert.Equal(0.5, report.WallSeconds);

        var unconstrained = recorder.BuildReport(SloSpec.None, 4, 0);
        Assert.Equal(0.75, unconstrained.SloAttainment);
    }

    [Fact]
    public void Empty_run_reports_zeros_not_nan()
    {
        var report = new LatencyRecorder().BuildReport(new SloSpec(100, 10), 0, 0);
        Assert.Equal(0, report.SloAttainment);
        Assert.Equal(0, report.GoodputRps);
        Assert.Same(LatencySummary.Empty, report.ItlMs);
        Assert.DoesNotContain("NaN", report.ToJson());
    }

    [Fact]
    public void Misuse_is_caught()
    {
        var recorder = new LatencyRecorder();
        var r = recorder.Arrive(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Token(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Arrive(-1));
        Assert.Throws<InvalidOperationException>(() => recorder.Token(r, 0.5));
        Assert.Throws<InvalidOperationException>(() => recorder.Finish(r, 2));
        recorder.Token(r, 2);
        Assert.Throws<InvalidOperationException>(() => recorder.Token(r, 1.5));
        Assert.Throws<InvalidOperationException>(() => recorder.Finish(r, 1.9));
        recorder.Finish(r, 2);
        Assert.Throws<InvalidOperationException>(() => recorder.Finish(r, 2));
        Assert.Throws<InvalidOperationException>(() => recorder.Token(r, 3));
    }

    [Fact]
    public void Many_requests_and_tokens_stay_cheap()
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < 5_000; i++)
        {
            var r = recorder.Arrive(i * 0.01);
            for (var k = 0; k < 200; k++)
            {
                recorder.Token(r, (i * 0.01) + 0.05 + (k * 0.025));
            }

            recorder.Finish(r, (i * 0.01) + 0.05 + (199 * 0.025));
        }

        var report = recorder.BuildReport(SloSpec.None, 60, 1);
        Assert.Equal(5_000L * 199, report.ItlMs.Count);
        Assert.Equal(25, report.ItlMs.P50, 1);
        Assert.Equal(25, report.TpotMs.P99, 6);
        Assert.Equal(5_000L * 200, recorder.CompletedOutputTokens);
    }

    [Fact]
    public void Report_json_uses_snake_case_and_round_trips()
    {
        var report = Recorded().BuildReport(new SloSpec(200, null), 4, 0.25) with
        {
            Preemptions = 3,
            KvTransfers = 12,
            MeanKvTransferMs = 4.5,
            Extra = new() { ["prefix_hit_rate"] = 0.25 },
        };
        var json = report.ToJson();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        string[] expected =
        [
            "requests", "completed", "ttft_ms", "tpot_ms", "itl_ms", "e2e_ms", "slo", "slo_attainment", "goodput_rps",
            "output_tokens_per_s", "requests_per_s", "simulated_seconds", "wall_seconds", "preemptions", "kv_transfers",
            "mean_kv_transfer_ms", "prefix_hit_rate",
        ];
        Assert.Equal(expected, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["count", "mean", "p50", "p90", "p95", "p99", "max"],
            root.GetProperty("ttft_ms").EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, root.GetProperty("slo").GetProperty("ttft_ms").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("slo").GetProperty("tpot_ms").ValueKind);

        var back = SimulationReport.FromJson(json);
        Assert.Equal(report.TtftMs, back.TtftMs);
        Assert.Equal(report.Slo, back.Slo);
        Assert.Equal(12, back.KvTransfers);
        Assert.Equal(0.25, ((JsonElement)back.Extra!["prefix_hit_rate"]).GetDouble());
    }

    [Fact]
    public void Optional_extras_are_left_out_when_null()
    {
        var json = Recorded().BuildReport(SloSpec.None, 4, 0).ToJson();
        Assert.DoesNotContain("preemptions", json);
        Assert.DoesNotContain("kv_transfers", json);
    }

    [Fact]
    public void Bad_report_json_is_an_input_error()
    {
        Assert.Throws<InputException>(() => SimulationReport.FromJson("{\"requests\": \"many\"}"));
        Assert.Throws<InputException>(() => SimulationReport.FromJson("null"));
    }
}
