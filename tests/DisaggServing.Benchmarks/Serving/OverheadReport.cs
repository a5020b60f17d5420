using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>The overhead run's figures and the issue's goals, as a Markdown table and as JSON.</summary>
internal sealed record OverheadReport(
    double RateRps, int Concurrency, int PromptTokens, int OutputTokens, bool Stream, double SecondsPerPhase, int Rounds,
    IReadOnlyList<OverheadReport.PathFigures> Paths, Percentiles? PdHandoverMs, int HandoverPromptTokens, Percentiles? PdHandoverAtRateMs,
    IReadOnlyList<OverheadReport.Goal> Goals)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One path: saturation, its ratio to YARP, latency at the fixed rate and what it adds over direct.</summary>
    public sealed record PathFigures(
        string Path, double SaturationRps, double SaturationVsYarp, double ProxyCpuUsPerRequest, double TotalCpuUsPerRequest,
        double AchievedRps, Percentiles E2eMs, Percentiles TtftMs, double AddedP50Ms, double AddedP99Ms, int Failed);

    public sealed record Goal(string Name, string Target, double Measured, bool Met);

    public static OverheadReport Create(
        IReadOnlyList<OverheadRow> rows, Percentiles? handover, int handoverPromptTokens, double rate, int concurrency, int promptTokens, int outputTokens, bool stream, double seconds, int rounds)
    {
        // A partial run (--paths) leaves out what it cannot compare against.
        var direct = rows.SingleOrDefault(r => r.Path == Serving.Paths.Direct)?.AtRate.E2e ?? new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        var yarpRate = rows.SingleOrDefault(r => r.Path == Serving.Paths.Yarp)?.SaturationRps ?? double.NaN;
        var paths = rows.Select(r =>
        {
            var e2e = r.AtRate.E2e;
            return new PathFigures(r.Path, r.SaturationRps, r.SaturationRps / yarpRate, r.ProxyCpuUs, r.TotalCpuUs, r.AtRate.Rate, e2e, r.AtRate.Ttft,
                e2e.P50 - direct.P50, e2e.P99 - direct.P99, r.Failed);
        }).ToArray();
        var decodeOnly = paths.SingleOrDefault(p => p.Path == Serving.Paths.RouterDecodeOnly);
        var pd = paths.SingleOrDefault(p => p.Path == Serving.Paths.RouterPd);
        List<Goal> goals = [];
        if (decodeOnly is not null)
        {
            goals.Add(new("router p99 overhead at the fixed rate (decode-only), ms", "≤ 1", decodeOnly.AddedP99Ms, decodeOnly.AddedP99Ms <= 1));
            goals.Add(new("decode-only router throughput / YARP", "≥ 0.8", decodeOnly.SaturationVsYarp, decodeOnly.SaturationVsYarp >= 0.8));
        }
        if (pd is not null)
            goals.Add(new("P/D router throughput / YARP", "≥ 0.4", pd.SaturationVsYarp, pd.SaturationVsYarp >= 0.4));
        if (handover is not null)
            goals.Add(new("P/D hand-over p50 (modelled link time 0: instant engines), ms", "≤ 5", handover.P50, handover.P50 <= 5));
        var atRate = rows.SingleOrDefault(r => r.Path == Serving.Paths.RouterPd)?.AtRate.Handover;
        return new OverheadReport(rate, concurrency, promptTokens, outputTokens, stream, seconds, rounds, paths, handover, handoverPromptTokens, atRate, goals);
    }

    public string ToMarkdown()
    {
        static string F(double v, string f = "F3") => OverheadBenchmark.F(v, f);
        var text = new StringBuilder();
        text.AppendLine($"Instant-engine workers; completions of {PromptTokens} prompt / {OutputTokens} output tokens, {(Stream ? "streamed" : "not streamed")}; "
            + $"saturation: {Concurrency} in flight; latency: Poisson {F(RateRps, "F0")} req/s; {Rounds} rounds of {F(SecondsPerPhase, "F0")} s per phase.");
        text.AppendLine();
        text.AppendLine($"| path | saturation req/s | × YARP | proxy CPU µs/req | path CPU µs/req | served at {F(RateRps, "F0")} req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | failed |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in Paths)
            text.AppendLine($"| {p.Path} | {F(p.SaturationRps, "F0")} | {F(p.SaturationVsYarp, "F2")} | {F(p.ProxyCpuUsPerRequest, "F0")} | {F(p.TotalCpuUsPerRequest, "F0")} | "
                + $"{F(p.AchievedRps, "F0")}{(p.AchievedRps < 0.95 * RateRps ? " (saturated)" : "")} | {F(p.E2eMs.P50)} | {F(p.E2eMs.P99)} | {F(p.AddedP50Ms)} | {F(p.AddedP99Ms)} | {p.Failed} |");
        text.AppendLine();
        if (PdHandoverMs is { } h)
            text.AppendLine($"P/D hand-over (prefill response at the router → first decode byte at the client; the client→router hop is included), "
                + $"{HandoverPromptTokens}-token prompts one at a time: p50 {F(h.P50)} ms, p99 {F(h.P99)} ms over {h.Count} requests.");
        if (PdHandoverAtRateMs is { Count: > 0 } r)
            text.AppendLine($"P/D hand-over at {F(RateRps, "F0")} req/s: p50 {F(r.P50)} ms, p99 {F(r.P99)} ms.");
        text.AppendLine();
        foreach (var g in Goals)
            text.AppendLine($"- {(g.Met ? "met" : "NOT met")}: {g.Name} {g.Target}: {F(g.Measured, "F3")}");
        return text.ToString();
    }
}
