using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// Router memory under overload, flow control off (the baseline) and on, in one run: decode engines of known capacity
/// (<see cref="SlowEngine"/>), our router as its own process over them, and open-loop arrivals at a multiple of that
/// capacity. Reports, per mode, the router's peak and final resident memory, what it held in flight, and what the
/// clients got (200, 429, unfinished).
/// </summary>
internal static class FlowOverloadBenchmark
{
    private const string Model = "bench-model";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var engines = options.Int("engines", 2);
        var batch = options.Int("batch", 2);
        var serviceMs = options.Double("service-ms", 500);
        var overload = options.Double("overload", 10);
        var seconds = options.Double("seconds", 20);
        var promptWords = options.Int("prompt-words", 1000);
        var deadlineMs = options.Int("deadline-ms", 0, 0);
        options.RejectUnknown();

        var capacity = engines * batch / (serviceMs / 1000);
        var rate = capacity * overload;
        var logs = Directory.CreateTempSubdirectory("disagg-flow-").FullName;
        Console.WriteLine($"{engines} engines × {batch} at {serviceMs} ms = {capacity:F1} req/s; offering {rate:F0} req/s ({overload}×) for {seconds} s; logs in {logs}");

        var fakes = new List<SlowEngine>();
        for (var i = 0; i < engines; i++) fakes.Add(await SlowEngine.StartAsync(batch, TimeSpan.FromMilliseconds(serviceMs), Model).ConfigureAwait(false));
        try
        {
            var body = Body(promptWords);
            var results = new List<Result>();
            foreach (var (mode, flow) in new[] { ("baseline (flow control off)", false), ("flow control on", true) })
            {
                var environment = new Dictionary<string, string> { ["Router__Model"] = Model, ["Router__FlowControl__Enabled"] = flow ? "true" : "false" };
                // Shedding on: the engines' batch is the router's per-engine concurrency; everything else is the default.
                if (flow) environment["Router__FlowControl__PerEngineConcurrency"] = batch.ToString(Inv);
                for (var i = 0; i < fakes.Count; i++) environment[$"Router__Decode__{i}"] = fakes[i].BaseUrl.ToString();
                var port = ServiceHosts.FreePort();
                environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}/";
                await using var router = await ServiceProcess.StartAsync(flow ? "router-flow" : "router-baseline", ServiceHosts.RouterDll,
                    new Uri($"http://127.0.0.1:{port}/"), environment, logs).ConfigureAwait(false);
                await WarmAsync(router.BaseUrl, body).ConfigureAwait(false);
                var result = await DriveAsync(mode, router, body, rate, TimeSpan.FromSeconds(seconds), deadlineMs).ConfigureAwait(false);
                results.Add(result);
                Console.WriteLine(result);
                // Let the engines drain what the baseline left before the next mode.
                while (fakes.Sum(f => f.Load) > 0) await Task.Delay(100).ConfigureAwait(false);
            }
            var baseline = results[0];
            var shed = results[1];
            Console.WriteLine(string.Create(Inv,
                $"Router peak RSS, flow control on / off: {shed.PeakRssMb:F0} / {baseline.PeakRssMb:F0} MiB = {shed.PeakRssMb / baseline.PeakRssMb:F2}×; growth over warm-up {shed.PeakRssMb - shed.IdleRssMb:F0} / {baseline.PeakRssMb - baseline.IdleRssMb:F0} MiB; in flight at the end: {shed.InFlightAtEnd:F0} / {baseline.InFlightAtEnd:F0}"));
            return 0;
        }
        finally
        {
            foreach (var fake in fakes) await fake.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Body(int words)
    {
        var prompt = string.Join(' ', Enumerable.Range(0, words).Select(i => "word" + (i % 97).ToString(Inv)));
        return new JsonObject { ["model"] = Model, ["prompt"] = prompt, ["max_tokens"] = 1 }.ToJsonString();
    }

    private static async Task WarmAsync(Uri router, string body)
    {
        using var http = new HttpClient { BaseAddress = router, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<Result> DriveAsync(string mode, ServiceProcess router, string body, double rate, TimeSpan duration, int deadlineMs)
    {
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false })
        { BaseAddress = router.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var statuses = new Dictionary<int, int>();
        var okLatencies = new List<double>();
        var tasks = new List<Task>();
        var idleRss = RssMb(router.Pid);
        var peakRss = 0.0;
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, RssMb(router.Pid));
                try { await Task.Delay(100, stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        });

        var random = new Random(7);
        var origin = Stopwatch.GetTimestamp();
        var at = 0.0;
        while (at < duration.TotalSeconds)
        {
            var delay = at - Stopwatch.GetElapsedTime(origin).TotalSeconds;
            if (delay > 0) await Task.Delay(TimeSpan.FromSeconds(delay)).ConfigureAwait(false);
            tasks.Add(SendAsync());
            at += -Math.Log(1 - random.NextDouble()) / rate;
        }
        var offered = tasks.Count;
        var inFlight = await InFlightAsync(http).ConfigureAwait(false);
        var finalRss = RssMb(router.Pid);
        await stop.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        okLatencies.Sort();
        return new Result(mode, offered, Count(200), Count(429), offered - Count(200) - Count(429), inFlight, idleRss, Math.Max(peakRss, finalRss), finalRss,
            okLatencies.Count > 0 ? okLatencies[okLatencies.Count / 2] : double.NaN);

        int Count(int status)
        {
            lock (statuses) return statuses.GetValueOrDefault(status);
        }

        async Task SendAsync()
        {
            var start = Stopwatch.GetTimestamp();
            var status = 0;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (deadlineMs > 0) request.Headers.Add("x-request-deadline-ms", deadlineMs.ToString(Inv));
                using var response = await http.SendAsync(request, stop.Token).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync(stop.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
                // Unfinished when the window closed, or refused by the OS: neither 200 nor 429.
            }
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status == 200) okLatencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    }

    private static async Task<double> InFlightAsync(HttpClient http)
    {
        string text;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            text = await http.GetStringAsync("metrics", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            return double.NaN; // the router did not answer in time
        }
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(DisaggServing.Protocol.RouterMetricNames.InFlight + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.AsSpan(line.IndexOf(' ') + 1), Inv);
    }

    // Resident memory from /proc (Linux): what the process holds now.
    private static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], Inv) / 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }

    private sealed record Result(
        string Mode, int Offered, int Ok, int Shed, int Unfinished, double InFlightAtEnd, double IdleRssMb, double PeakRssMb, double FinalRssMb, double OkP50Ms)
    {
        public override string ToString() => string.Create(Inv,
            $"{Mode}: offered {Offered}, 200 {Ok}, 429 {Shed}, unfinished {Unfinished}; router in flight at the end {InFlightAtEnd:F0}; router RSS after warm-up {IdleRssMb:F0} MiB, peak {PeakRssMb:F0} MiB, at the end {FinalRssMb:F0} MiB; p50 of 200s {OkP50Ms:F0} ms");
    }
}
