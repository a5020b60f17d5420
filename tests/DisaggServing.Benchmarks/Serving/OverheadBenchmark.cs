using System.Globalization;
using System.Text.Json;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// Router overhead, in one run: the same instant-engine worker reached directly, through plain YARP, through our
/// router in decode-only mode, and through our router in P/D mode (a second pair of instant workers). For each, the
/// saturation rate (closed loop) and latency at a fixed rate (open loop, Poisson); rounds rotate the order so drift
/// hits every path alike. Added latency is against the direct path of the same run.
/// </summary>
internal static class OverheadBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var seconds = options.Double("seconds", 5);
        var warmup = options.Double("warmup", 1, 0);
        var jitWarmup = options.Double("jit-warmup", 15, 0);
        var rounds = options.Int("rounds", 3);
        var rate = options.Double("rate", 1000);
        var concurrency = options.Int("concurrency", 32);
        var promptTokens = options.Int("prompt-tokens", 128);
        var outputTokens = options.Int("output-tokens", 8);
        var handoverPromptTokens = options.Int("handover-prompt-tokens", 1024);
        var stream = !options.Flag("no-stream");
        var json = options.String("json");
        var only = options.String("paths")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.RejectUnknown();
        string[] all = [Paths.Direct, Paths.Yarp, Paths.RouterDecodeOnly, Paths.RouterPd];
        if (only?.FirstOrDefault(p => !all.Contains(p)) is { } unknown)
            throw new ArgumentException($"--paths: unknown path '{unknown}'; use {string.Join(", ", all)}.");

        var logs = Directory.CreateTempSubdirectory("disagg-overhead-").FullName;
        Console.WriteLine($"Starting workers (instant engine), routers and YARP; logs in {logs}");
        await using var cluster = new ServingCluster(logs);
        var worker = await cluster.WorkerAsync("worker", "both").ConfigureAwait(false);
        var prefill = await cluster.WorkerAsync("prefill", "prefill").ConfigureAwait(false);
        var decode = await cluster.WorkerAsync("decode", "decode").ConfigureAwait(false);
        var routerDecode = await cluster.RouterAsync("router-decode-only", worker, null).ConfigureAwait(false);
        var routerPd = await cluster.RouterAsync("router-pd", decode, prefill).ConfigureAwait(false);
        var yarp = await cluster.YarpAsync("yarp", worker).ConfigureAwait(false);

        LoadTarget Target(string name, ServiceProcess via) =>
            LoadTarget.Completions(name, via.BaseUrl, ServingCluster.Model, promptTokens, outputTokens, stream);
        LoadTarget[] targets =
        [
            Target(Paths.Direct, worker), Target(Paths.Yarp, yarp), Target(Paths.RouterDecodeOnly, routerDecode), Target(Paths.RouterPd, routerPd),
        ];
        // The proxy in each path (none for direct) and every process the path runs through, for CPU per request.
        var proxies = new Dictionary<string, ServiceProcess?>
        {
            [Paths.Direct] = null, [Paths.Yarp] = yarp, [Paths.RouterDecodeOnly] = routerDecode, [Paths.RouterPd] = routerPd,
        };
        var involved = new Dictionary<string, ServiceProcess[]>
        {
            [Paths.Direct] = [worker], [Paths.Yarp] = [yarp, worker], [Paths.RouterDecodeOnly] = [routerDecode, worker],
            [Paths.RouterPd] = [routerPd, prefill, decode],
        };

        if (only is not null)
            targets = [.. targets.Where(t => only.Contains(t.Name))];
        using var load = new LoadGenerator();
        var saturation = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var atRate = targets.ToDictionary(t => t.Name, _ => new List<Sample>());
        var achieved = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var failures = targets.ToDictionary(t => t.Name, _ => 0);
        var proxyCpu = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var totalCpu = targets.ToDictionary(t => t.Name, _ => new List<double>());
        // Untimed load on every path first: tiered JIT keeps recompiling hot methods for tens of seconds after a start
        // (measured with perf: half the CPU of a fresh worker goes to the JIT thread in its first 30 s), and
        // connection pools and the routers' first scrapes settle too.
        Console.WriteLine($"Warming every path for {jitWarmup:F0} s");
        foreach (var target in targets)
            await load.ClosedLoopAsync(target, concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(0.5, jitWarmup))).ConfigureAwait(false);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var target = targets[(i + round) % targets.Length];
                var proxyBefore = proxies[target.Name]?.CpuTime ?? TimeSpan.Zero;
                var totalBefore = Cpu(involved[target.Name]);
                var eachBefore = involved[target.Name].Select(p => p.CpuTime).ToArray();
                var closed = await load.ClosedLoopAsync(target, concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
                var perRequest = Math.Max(1, closed.PhaseCompleted);
                proxyCpu[target.Name].Add(((proxies[target.Name]?.CpuTime ?? TimeSpan.Zero) - proxyBefore).TotalMicroseconds / perRequest);
                totalCpu[target.Name].Add((Cpu(involved[target.Name]) - totalBefore).TotalMicroseconds / perRequest);
                var each = string.Join(", ", involved[target.Name].Select((p, k) => $"{p.Name} {(p.CpuTime - eachBefore[k]).TotalMicroseconds / perRequest:F0}"));
                var open = await load.OpenLoopAsync(target, rate, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), seed: round).ConfigureAwait(false);
                saturation[target.Name].Add(closed.Rate);
                atRate[target.Name].AddRange(open.Samples);
                achieved[target.Name].Add(open.Rate);
                failures[target.Name] += closed.Failed + open.Failed;
                Console.WriteLine($"round {round + 1}/{rounds} {target.Name,-18} saturation {closed.Rate,8:F0} req/s (CPU µs/req: {each})  at {rate:F0} req/s: p50 {open.E2e.P50,7:F3} ms  p99 {open.E2e.P99,7:F3} ms  failed {closed.Failed + open.Failed}");
            }
        }

        // The P/D hand-over alone: one request at a time, a longer prompt (more KV blocks to pull), no queueing.
        Percentiles? handover = null;
        if (targets.Any(t => t.Name == Paths.RouterPd))
        {
            var light = LoadTarget.Completions("router-pd (one at a time)", routerPd.BaseUrl, ServingCluster.Model, handoverPromptTokens, outputTokens, stream);
            var result = await load.ClosedLoopAsync(light, 1, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            handover = result.Handover;
            Console.WriteLine($"P/D hand-over, {handoverPromptTokens}-token prompts one at a time: p50 {handover.P50:F3} ms, p99 {handover.P99:F3} ms ({handover.Count} requests, {result.Failed} failed)");
        }

        var rows = targets.Select(t => new OverheadRow(
            t.Name, Median(saturation[t.Name]), Median(proxyCpu[t.Name]), Median(totalCpu[t.Name]),
            new LoadResult(t.Name, Median(achieved[t.Name]), [.. atRate[t.Name]], atRate[t.Name].Count(s => s.Ok)), failures[t.Name])).ToArray();
        var report = OverheadReport.Create(rows, handover, handoverPromptTokens, rate, concurrency, promptTokens, outputTokens, stream, seconds, rounds);
        Console.WriteLine();
        Console.WriteLine(report.ToMarkdown());
        if (json is not null)
            await JsonReport.WriteAsync(json, report, OverheadReport.JsonOptions).ConfigureAwait(false);
        return rows.Sum(r => r.Failed) == 0 ? 0 : 1;
    }

    private static TimeSpan Cpu(IEnumerable<ServiceProcess> processes) =>
        processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.CpuTime);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string F(double value, string format = "F3") => value.ToString(format, Inv);
}

/// <summary>The four paths, as named in the report.</summary>
internal static class Paths
{
    public const string Direct = "direct";
    public const string Yarp = "yarp";
    public const string RouterDecodeOnly = "router-decode-only";
    public const string RouterPd = "router-pd";
}

/// <summary>
/// One path's figures: medians over rounds of the saturation rate and of CPU µs per request (the proxy's, and all
/// the path's processes'), and the pooled samples at the fixed rate.
/// </summary>
internal sealed record OverheadRow(string Path, double SaturationRps, double ProxyCpuUs, double TotalCpuUs, LoadResult AtRate, int Failed);
