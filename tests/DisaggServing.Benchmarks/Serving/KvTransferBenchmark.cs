using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// KV data plane throughput against raw loopback TCP, in one run. A prefill and a decode worker (instant engine: no
/// modelled link time, only the real bytes move) are set up so one request's KV payload is exactly 256 MiB
/// (Llama-3.3-70B, BF16 KV: 327,680 B/token, 5 MiB per 16-token block; a 2048-token prompt is 128 blocks; payload
/// scale 0.4 gives 2 MiB per block). Each repeat sends a prefill, then the decode (max_tokens 1), and reads the
/// pull's own duration from the decoder's <c>disagg:kv_pull_copy_seconds</c> histogram (stream open to last block
/// verified); the baseline copies the same bytes over one loopback TCP connection in this process. The two alternate
/// (the order swaps every repeat) so drift on a shared machine hits both; the report gives medians and their ratio.
/// </summary>
internal static class KvTransferBenchmark
{
    private const string CopyMetric = "disagg:kv_pull_copy_seconds";
    private const string PayloadMetric = "disagg:kv_payload_bytes_total";
    private const double RealBytesPerToken = 327_680; // Llama-3.3-70B, BF16 KV (80 layers × 8 KV heads × 128 × 2 × 2 B)
    private const int BlockSize = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        if (options.String("serve-bare-grpc") is { } ports)
        {
            options.RejectUnknown();
            var parts = ports.Split(',');
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var httpPort) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var grpcPort)
                ? await BareGrpcStream.ServeAsync(httpPort, grpcPort).ConfigureAwait(false)
                : throw new ArgumentException("--serve-bare-grpc takes HTTP_PORT,GRPC_PORT.");
        }
        var repeats = options.Int("repeats", 7);
        var warmup = options.Int("warmup", 2, 0);
        var jitWarmup = options.Double("jit-warmup", 60, 0);
        var promptTokens = options.Int("prompt-tokens", 2048, BlockSize);
        var scale = options.Double("scale", 0.4);
        var tcpBufferKiB = options.Int("tcp-buffer-kib", 1024);
        var perfMap = options.Flag("perf-map");
        var pause = options.Double("pause", 0, 0);
        var workerEnv = options.String("worker-env");
        var compareEnv = options.String("compare-env");
        var compareDll = options.String("compare-worker");
        var bareGrpc = !options.Flag("no-bare-grpc");
        var json = options.String("json");
        options.RejectUnknown();
        if (promptTokens % BlockSize != 0)
            throw new ArgumentException($"--prompt-tokens must be a multiple of {BlockSize} (whole blocks).");

        var blocks = promptTokens / BlockSize;
        var payloadPerBlock = (long)Math.Round(RealBytesPerToken * BlockSize * scale);
        var bytes = blocks * payloadPerBlock;
        var env = new Dictionary<string, string>
        {
            ["Worker__KvCacheDtype"] = "bf16",
            ["Worker__KvPayloadScale"] = scale.ToString("R", CultureInfo.InvariantCulture),
        };
        AddEnv(env, workerEnv, "--worker-env");
        if (perfMap)
        {
            env["DOTNET_PerfMapEnabled"] = "1";
            env["DOTNET_EnableWriteXorExecute"] = "0";
        }

        var logs = Directory.CreateTempSubdirectory("disagg-kv-").FullName;
        Console.WriteLine($"KV pull of {blocks} blocks × {payloadPerBlock:N0} B = {bytes:N0} B ({bytes / 1048576.0:F0} MiB); logs in {logs}");
        await using var cluster = new ServingCluster(logs);
        var prefill = await cluster.WorkerAsync("prefill", "prefill", env).ConfigureAwait(false);
        var decode = await cluster.WorkerAsync("decode", "decode", env).ConfigureAwait(false);
        Console.WriteLine($"prefill pid {prefill.Pid}, decode pid {decode.Pid}, benchmark pid {Environment.ProcessId}");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var tcp = new RawTcpCopy(tcpBufferKiB * 1024);
        await using var grpc = bareGrpc ? await BareGrpcStream.StartAsync(logs, perfMap ? env : new Dictionary<string, string>()).ConfigureAwait(false) : null;
        var pull = new Puller(http, prefill, decode, promptTokens, bytes);
        // An optional second pair with extra settings, measured in the same rounds (an A/B on a noisy machine).
        Puller? compare = null;
        var compareName = string.Join("; ", new[] { compareDll, compareEnv }.Where(x => x is not null));
        if (compareName.Length > 0)
        {
            var envB = new Dictionary<string, string>(env);
            AddEnv(envB, compareEnv, "--compare-env");
            if (compareDll is not null && !File.Exists(compareDll))
                throw new ArgumentException($"--compare-worker: {compareDll} does not exist.");
            var prefillB = await cluster.WorkerAsync("prefill-b", "prefill", envB, compareDll).ConfigureAwait(false);
            var decodeB = await cluster.WorkerAsync("decode-b", "decode", envB, compareDll).ConfigureAwait(false);
            Console.WriteLine($"compare pair ({compareName}): prefill pid {prefillB.Pid}, decode pid {decodeB.Pid}");
            compare = new Puller(http, prefillB, decodeB, promptTokens, bytes);
        }

        // Untimed pulls first, for at least --jit-warmup seconds: tiered JIT keeps recompiling hot methods for a while
        // after start (measured: a third of a fresh decoder's CPU is in the JIT thread for the first 20 s of pulls; it settles by about 50 s).
        Console.WriteLine($"Warming up: at least {warmup} pull(s) and {jitWarmup:F0} s");
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < warmup || warming.Elapsed.TotalSeconds < jitWarmup; i++)
        {
            tcp.Copy(bytes);
            tcp.Copy(bytes, payloadWork: true);
            await pull.RunAsync().ConfigureAwait(false);
            if (grpc is not null)
                await grpc.StreamAsync(bytes, (int)payloadPerBlock).ConfigureAwait(false);
            if (compare is not null)
                await compare.RunAsync().ConfigureAwait(false);
        }
        if (pause > 0)
        {
            Console.WriteLine($"Pausing {pause:F0} s (attach a profiler now)");
            await Task.Delay(TimeSpan.FromSeconds(pause)).ConfigureAwait(false);
        }

        var tcpSeconds = new List<double>();
        var tcpCpuMs = new List<double>();
        var pulls = new List<PullSample>();
        var compared = new List<PullSample>();
        var grpcSeconds = new List<double>();
        var grpcCpuMs = new List<double>();
        var workSeconds = new List<double>();
        List<string> sides = ["tcp", "pull", "tcp+work"];
        if (grpc is not null)
            sides.Add("grpc");
        if (compare is not null)
            sides.Add("compare");
        for (var r = 0; r < repeats; r++)
        {
            // Rotate which goes first, so a slow spell of the shared machine does not favour one side.
            for (var k = 0; k < sides.Count; k++)
            {
                switch (sides[(r + k) % sides.Count])
                {
                    case "tcp":
                        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                        tcpSeconds.Add(tcp.Copy(bytes).TotalSeconds);
                        tcpCpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
                        Console.WriteLine($"repeat {r + 1}/{repeats} raw TCP   {Gbps(bytes, tcpSeconds[^1]),6:F2} GB/s ({tcpSeconds[^1] * 1000,7:F1} ms; CPU {tcpCpuMs[^1]:F0} ms)");
                        break;
                    case "tcp+work":
                        workSeconds.Add(tcp.Copy(bytes, payloadWork: true).TotalSeconds);
                        Console.WriteLine($"repeat {r + 1}/{repeats} TCP+work  {Gbps(bytes, workSeconds[^1]),6:F2} GB/s ({workSeconds[^1] * 1000,7:F1} ms)");
                        break;
                    case "grpc":
                        var before = Process.GetCurrentProcess().TotalProcessorTime + grpc!.ServerCpuTime;
                        grpcSeconds.Add((await grpc.StreamAsync(bytes, (int)payloadPerBlock).ConfigureAwait(false)).TotalSeconds);
                        grpcCpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime + grpc.ServerCpuTime - before).TotalMilliseconds);
                        Console.WriteLine($"repeat {r + 1}/{repeats} bare gRPC {Gbps(bytes, grpcSeconds[^1]),6:F2} GB/s ({grpcSeconds[^1] * 1000,7:F1} ms; CPU {grpcCpuMs[^1]:F0} ms)");
                        break;
                    case "pull":
                        pulls.Add(await pull.RunAsync().ConfigureAwait(false));
                        Print(r, "KV pull", pulls[^1]);
                        break;
                    default:
                        compared.Add(await compare!.RunAsync().ConfigureAwait(false));
                        Print(r, "KV pull B", compared[^1]);
                        break;
                }
            }
        }

        void Print(int r, string name, PullSample p) =>
            Console.WriteLine($"repeat {r + 1}/{repeats} {name,-9} {Gbps(bytes, p.CopySeconds),6:F2} GB/s ({p.CopySeconds * 1000,7:F1} ms; decode request {p.DecodeRequestSeconds * 1000:F1} ms; CPU prefill {p.PrefillCpuMs:F0} ms, decode {p.DecodeCpuMs:F0} ms)");

        var report = KvTransferReport.Create(bytes, blocks, payloadPerBlock, repeats, tcpSeconds, tcpCpuMs, pulls, workSeconds, grpcSeconds, grpcCpuMs, compareName, compared);
        Console.WriteLine();
        Console.WriteLine(report.ToMarkdown());
        if (json is not null)
            await JsonReport.WriteAsync(json, report, KvTransferReport.JsonOptions).ConfigureAwait(false);
        return 0;
    }

    internal static double Gbps(long bytes, double seconds) => bytes / seconds / 1e9;

    private static void AddEnv(Dictionary<string, string> env, string? pairs, string option)
    {
        foreach (var pair in (pairs ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ArgumentException($"{option} takes KEY=VALUE pairs separated by ';'; got '{pair}'.");
            env[pair[..eq]] = pair[(eq + 1)..];
        }
    }

    /// <summary>One P/D round trip (prefill, then decode with max_tokens 1) and the decoder's own timing of its pull.</summary>
    private sealed class Puller(HttpClient http, ServiceProcess prefill, ServiceProcess decode, int promptTokens, long bytes)
    {
        private int sequence;

        public async Task<PullSample> RunAsync()
        {
            // A fresh prompt each time: the decoder pulls only what its prefix cache lacks.
            var n = Interlocked.Increment(ref sequence);
            var prompt = new JsonArray();
            for (var i = 0; i < promptTokens; i++)
                prompt.Add(1000 + (int)((uint)(n * 7919 + i * 104729 + Environment.ProcessId) % 50000));
            var body = new JsonObject { ["model"] = ServingCluster.Model, ["prompt"] = prompt, ["max_tokens"] = 1 };

            var prefillBody = body.DeepClone().AsObject();
            prefillBody["stream"] = false;
            prefillBody["kv_transfer_params"] = JsonNode.Parse(
                """{"do_remote_decode":true,"do_remote_prefill":false,"remote_engine_id":null,"remote_block_ids":null,"remote_host":null,"remote_port":null}""");
            var prefilled = await PostAsync(new Uri(prefill.BaseUrl, "/v1/completions"), prefillBody).ConfigureAwait(false);
            var kv = prefilled["kv_transfer_params"] ?? throw new InvalidOperationException("The prefill answered without kv_transfer_params.");
            body["kv_transfer_params"] = kv.DeepClone();

            var before = await MetricsAsync().ConfigureAwait(false);
            var prefillCpu = prefill.CpuTime;
            var decodeCpu = decode.CpuTime;
            var start = Stopwatch.GetTimestamp();
            await PostAsync(new Uri(decode.BaseUrl, "/v1/completions"), body).ConfigureAwait(false);
            var requestSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var prefillCpuMs = (prefill.CpuTime - prefillCpu).TotalMilliseconds;
            var decodeCpuMs = (decode.CpuTime - decodeCpu).TotalMilliseconds;
            var after = await MetricsAsync().ConfigureAwait(false);

            var pulled = MetricsText.Sum(after, PayloadMetric) - MetricsText.Sum(before, PayloadMetric);
            var count = MetricsText.Sum(after, CopyMetric + "_count") - MetricsText.Sum(before, CopyMetric + "_count");
            if (count != 1 || pulled != bytes)
                throw new InvalidOperationException($"The decode pulled {pulled:N0} B in {count} successful pull(s); expected {bytes:N0} B in 1 (see the decode log).");
            var seconds = MetricsText.Sum(after, CopyMetric + "_sum") - MetricsText.Sum(before, CopyMetric + "_sum");
            return new PullSample(seconds, requestSeconds, prefillCpuMs, decodeCpuMs);
        }

        private async Task<string> MetricsAsync() => await http.GetStringAsync(new Uri(decode.BaseUrl, "/metrics")).ConfigureAwait(false);

        private async Task<JsonNode> PostAsync(Uri url, JsonObject body)
        {
            using var response = await http.PostAsJsonAsync(url, body).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text) ?? throw new InvalidOperationException($"{url} answered an empty body.");
        }
    }
}

/// <summary>One pull: the decoder's copy time, the decode request's wall time, and each worker's CPU during it.</summary>
internal sealed record PullSample(double CopySeconds, double DecodeRequestSeconds, double PrefillCpuMs, double DecodeCpuMs);
