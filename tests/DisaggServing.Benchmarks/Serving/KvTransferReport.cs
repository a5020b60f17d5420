using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// The kv run's figures: medians of the raw TCP copies and of the pulls, their ratio and the goal (≥ 80%); beside
/// them, when measured, raw TCP doing the pull's payload work, the bare gRPC stream (the stack's floor) and a second
/// worker pair (B).
/// </summary>
internal sealed record KvTransferReport(
    long Bytes, int Blocks, long PayloadBytesPerBlock, int Repeats, KvTransferReport.Figures RawTcp, KvTransferReport.Figures KvPull,
    double Ratio, double PairedRatio, double Goal, bool Met, double TcpCpuMsPerCopy, double PrefillCpuMsPerPull, double DecodeCpuMsPerPull,
    string Machine)
{
    public Figures? TcpWithWork { get; init; }
    public double? TcpWithWorkRatio { get; init; }
    public Figures? BareGrpc { get; init; }
    public double? BareGrpcRatio { get; init; }
    public double? BareGrpcCpuMs { get; init; }

    /// <summary>The pull's throughput as a share of the bare gRPC stream's.</summary>
    public double? PullVsBareGrpc { get; init; }
    public string? CompareWith { get; init; }
    public Figures? Compare { get; init; }
    public double? CompareRatio { get; init; }
    public double? CompareCpuMsPerPull { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One side: every repeat's seconds, and the median, fastest and slowest as GB/s (10⁹ B/s).</summary>
    public sealed record Figures(IReadOnlyList<double> Seconds, double MedianSeconds, double MedianGbps, double MinGbps, double MaxGbps);

    public static KvTransferReport Create(long bytes, int blocks, long payloadPerBlock, int repeats, IReadOnlyList<double> tcpSeconds, IReadOnlyList<double> tcpCpuMs, IReadOnlyList<PullSample> pulls,
        IReadOnlyList<double>? workSeconds = null, IReadOnlyList<double>? grpcSeconds = null, IReadOnlyList<double>? grpcCpuMs = null,
        string? compareWith = null, IReadOnlyList<PullSample>? compared = null)
    {
        Figures Of(IReadOnlyList<double> seconds) => new(seconds, Median(seconds), KvTransferBenchmark.Gbps(bytes, Median(seconds)),
            KvTransferBenchmark.Gbps(bytes, seconds.Max()), KvTransferBenchmark.Gbps(bytes, seconds.Min()));
        var tcp = Of(tcpSeconds);
        var pull = Of([.. pulls.Select(p => p.CopySeconds)]);
        // Throughput ratio of the medians, and the median of each repeat's own ratio (pull vs the copy beside it).
        var ratio = tcp.MedianSeconds / pull.MedianSeconds;
        var paired = Median([.. pulls.Select((p, i) => tcpSeconds[i] / p.CopySeconds)]);
        const double goal = 0.8;
        var machine = $"{Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}";
        var report = new KvTransferReport(bytes, blocks, payloadPerBlock, repeats, tcp, pull, ratio, paired, goal, ratio >= goal, Median(tcpCpuMs),
            Median([.. pulls.Select(p => p.PrefillCpuMs)]), Median([.. pulls.Select(p => p.DecodeCpuMs)]), machine);
        if (workSeconds is { Count: > 0 })
        {
            var w = Of(workSeconds);
            report = report with { TcpWithWork = w, TcpWithWorkRatio = tcp.MedianSeconds / w.MedianSeconds };
        }
        if (grpcSeconds is { Count: > 0 })
        {
            var g = Of(grpcSeconds);
            report = report with
            {
                BareGrpc = g, BareGrpcRatio = tcp.MedianSeconds / g.MedianSeconds, BareGrpcCpuMs = Median(grpcCpuMs ?? []),
                PullVsBareGrpc = g.MedianSeconds / pull.MedianSeconds,
            };
        }
        if (compared is { Count: > 0 })
        {
            var b = Of([.. compared.Select(p => p.CopySeconds)]);
            report = report with
            {
                CompareWith = compareWith, Compare = b, CompareRatio = tcp.MedianSeconds / b.MedianSeconds,
                CompareCpuMsPerPull = Median([.. compared.Select(p => p.PrefillCpuMs + p.DecodeCpuMs)]),
            };
        }
        return report;
    }

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"KV data plane vs raw loopback TCP: {Bytes / 1048576.0:F0} MiB per transfer ({Blocks} blocks × {PayloadBytesPerBlock / 1048576.0:F2} MiB), {Repeats} repeats each, alternated; {Machine}.");
        text.AppendLine();
        text.AppendLine("| Path | Median time (ms) | Median GB/s | Range GB/s | vs raw TCP |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(inv, $"| raw loopback TCP (1 connection, in-process) | {RawTcp.MedianSeconds * 1000:F1} | {RawTcp.MedianGbps:F2} | {RawTcp.MinGbps:F2}–{RawTcp.MaxGbps:F2} | 100% |");
        text.AppendLine(inv, $"| KV pull (worker default transport: raw-TCP data channel, else gRPC; verified) | {KvPull.MedianSeconds * 1000:F1} | {KvPull.MedianGbps:F2} | {KvPull.MinGbps:F2}–{KvPull.MaxGbps:F2} | {Ratio * 100:F0}% |");
        if (TcpWithWork is { } w)
            text.AppendLine(inv, $"| raw loopback TCP + the pull's payload work (copy in + XXH3 / XXH3 + compare every byte) | {w.MedianSeconds * 1000:F1} | {w.MedianGbps:F2} | {w.MinGbps:F2}–{w.MaxGbps:F2} | {TcpWithWorkRatio * 100:F0}% |");
        if (BareGrpc is { } g)
            text.AppendLine(inv, $"| bare gRPC stream (own server process, no payload work: the stack's floor) | {g.MedianSeconds * 1000:F1} | {g.MedianGbps:F2} | {g.MinGbps:F2}–{g.MaxGbps:F2} | {BareGrpcRatio * 100:F0}% |");
        if (Compare is { } b)
            text.AppendLine(inv, $"| KV pull B ({CompareWith}) | {b.MedianSeconds * 1000:F1} | {b.MedianGbps:F2} | {b.MinGbps:F2}–{b.MaxGbps:F2} | {CompareRatio * 100:F0}% |");
        text.AppendLine();
        text.AppendLine(inv, $"Ratio of medians {Ratio * 100:F1}% (median of paired ratios {PairedRatio * 100:F1}%); goal ≥ {Goal * 100:F0}%: {(Met ? "met" : "not met")}.{(PullVsBareGrpc is { } f ? $" The pull runs at {f * 100:F0}% of the bare gRPC stream." : "")} CPU per transfer (median): raw TCP {TcpCpuMsPerCopy:F0} ms (sender and receiver); pull {PrefillCpuMsPerPull + DecodeCpuMsPerPull:F0} ms (prefill {PrefillCpuMsPerPull:F0}, decode {DecodeCpuMsPerPull:F0}){(BareGrpc is null ? "" : $"; bare gRPC {BareGrpcCpuMs:F0} ms")}{(Compare is null ? "" : $"; pull B {CompareCpuMsPerPull:F0} ms")}.");
        return text.ToString();
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
