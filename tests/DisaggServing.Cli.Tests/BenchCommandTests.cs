using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Cli.Tests;

public sealed class BenchCommandTests : IDisposable
{
    // Nothing listens on the discard port; validation fails before any request is sent.
    private const string Nowhere = "bench --url http://127.0.0.1:9 --model m";

    private readonly string directory = Directory.CreateTempSubdirectory("disagg-bench-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<CliRun> Bench(string commandLine) => Task.Run(() => CliRun.Of(null, CliRun.Args(commandLine)));

    [Theory]
    [InlineData("bench --model m --workload fixed:8:4 --rate 1 --requests 1", "--url")]
    [InlineData("bench --url ftp://example.com --model m --workload fixed:8:4 --rate 1 --requests 1", "--url")]
    [InlineData("bench --url localhost:8000 --model m --workload fixed:8:4 --rate 1 --requests 1", "--url")]
    [InlineData("bench --url http://127.0.0.1:9 --workload fixed:8:4 --rate 1 --requests 1", "--model")]
    [InlineData($"{Nowhere} --rate 1 --requests 1", "--workload")]
    [InlineData($"{Nowhere} --workload fixed:8 --rate 1 --requests 1", "--workload")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --requests 1", "--concurrency")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --concurrency 2 --requests 1", "--concurrency")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1", "--requests")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 0 --requests 1", "--rate")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --concurrency 0 --requests 1", "--concurrency")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests -3", "--requests")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --duration nan", "--duration")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --slo-ttft-ms -1", "--slo-ttft-ms")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --endpoint embeddings", "--endpoint")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --json /no/such/dir/report.json", "--json")]
    [InlineData($"{Nowhere} --workload trace:x.jsonl --rate 1", "--rate")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --plot bench.svg", "--plot")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --plot bench", "--plot")]
    [InlineData($"{Nowhere} --workload fixed:8:4 --rate 1 --requests 1 --plot /no/such/dir/bench.png", "--plot")]
    public async Task Bad_arguments_exit_2_naming_the_option(string commandLine, string option)
    {
        var run = await Bench(commandLine);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(option, run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Streaming_run_counts_requests_tokens_and_errors_by_status()
    {
        await using var server = await FakeOpenAiServer.StartAsync(failEvery: 5);
        var report = Path.Combine(directory, "report.json");
        var run = await Bench($"bench --url {server.Url} --model fake-model --workload fixed:32:8 --concurrency 4 --requests 20 " +
                              $"--stream --slo-ttft-ms 60000 --slo-tpot-ms 60000 --seed 7 --json {report}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("TTFT", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("500: 4", run.Stdout, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(20, root.GetProperty("requests").GetInt32());
        Assert.Equal(16, root.GetProperty("completed").GetInt32());
        Assert.Equal(4, root.GetProperty("failed").GetInt32());
        Assert.Equal(4, root.GetProperty("errors").GetProperty("500").GetInt32());
        Assert.Single(root.GetProperty("errors").EnumerateObject());
        Assert.Equal(16 * 32, root.GetProperty("input_tokens").GetInt64());
        Assert.Equal(16 * 8, root.GetProperty("output_tokens").GetInt64());
        Assert.Equal("closed-loop", root.GetProperty("load").GetString());
        Assert.Equal(4, root.GetProperty("concurrency").GetInt32());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal("fixed:32:8", root.GetProperty("workload").GetString());
        Assert.EndsWith("/v1/completions", root.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(16, root.GetProperty("ttft_ms").GetProperty("count").GetInt64());
        Assert.Equal(16, root.GetProperty("tpot_ms").GetProperty("count").GetInt64());
        Assert.Equal(16 * 7, root.GetProperty("itl_ms").GetProperty("count").GetInt64());
        Assert.Equal(16, root.GetProperty("e2e_ms").GetProperty("count").GetInt64());
        foreach (var metric in new[] { "ttft_ms", "tpot_ms", "itl_ms", "e2e_ms" })
        {
            var summary = root.GetProperty(metric);
            Assert.True(summary.GetProperty("p50").GetDouble() <= summary.GetProperty("p99").GetDouble());
            Assert.True(summary.GetProperty("p99").GetDouble() <= summary.GetProperty("max").GetDouble());
        }

        // Generous bounds: every completed request meets them, the 500s do not.
        Assert.Equal(0.8, root.GetProperty("slo_attainment").GetDouble(), 6);
        Assert.Equal(60000, root.GetProperty("slo").GetProperty("ttft_ms").GetDouble());
        Assert.True(root.GetProperty("goodput_rps").GetDouble() > 0);
        Assert.True(root.GetProperty("request_throughput_rps").GetDouble() > 0);
        Assert.True(root.GetProperty("output_token_throughput_tps").GetDouble() > 0);
        Assert.True(root.GetProperty("duration_s").GetDouble() > 0);

        Assert.Equal(20, server.Bodies.Count);
        var prompts = new HashSet<string>();
        foreach (var body in server.Bodies)
        {
            Assert.Equal("fake-model", body.GetProperty("model").GetString());
            Assert.Equal(8, body.GetProperty("max_tokens").GetInt32());
            Assert.Equal(8, body.GetProperty("min_tokens").GetInt32());
            Assert.True(body.GetProperty("ignore_eos").GetBoolean());
            Assert.True(body.GetProperty("stream").GetBoolean());
            Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
            var prompt = body.GetProperty("prompt").GetString()!;
            Assert.Equal(32, PromptTokenizer.Instance.Count(prompt));
            prompts.Add(prompt);
        }

        Assert.Equal(20, prompts.Count);
        Assert.All(server.Authorizations, Assert.Null);
    }

    [Fact]
    public async Task Non_streaming_chat_run_times_end_to_end_only_and_sends_the_key()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var report = Path.Combine(directory, "chat.json");
        var run = await Bench($"bench --url {server.Url}v1 --model fake-model --api-key secret --endpoint chat " +
                              $"--workload fixed:64:5 --rate 500 --requests 10 --json {report}");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(10, root.GetProperty("completed").GetInt32());
        Assert.Empty(root.GetProperty("errors").EnumerateObject());
        Assert.Equal("poisson", root.GetProperty("load").GetString());
        Assert.Equal(50, root.GetProperty("output_tokens").GetInt64());
        Assert.False(root.GetProperty("stream").GetBoolean());
        Assert.Equal(0, root.GetProperty("itl_ms").GetProperty("count").GetInt64());
        Assert.Equal(0, root.GetProperty("tpot_ms").GetProperty("count").GetInt64());
        Assert.Equal(root.GetProperty("e2e_ms").GetProperty("mean").GetDouble(), root.GetProperty("ttft_ms").GetProperty("mean").GetDouble());

        Assert.All(server.Paths, path => Assert.Equal("/v1/chat/completions", path));
        Assert.All(server.Authorizations, header => Assert.Equal("Bearer secret", header));
        foreach (var body in server.Bodies)
        {
            var messages = body.GetProperty("messages").Deserialize<List<ChatMessage>>(JsonDefaults.Options)!;
            Assert.Equal(64, PromptTokenizer.Instance.EncodeChat(messages).Count);
            Assert.False(body.TryGetProperty("stream", out _));
        }
    }

    [Fact]
    public async Task A_prefix_workload_sends_prompts_that_begin_with_one_of_its_shared_prefixes()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var run = await Bench($"bench --url {server.Url} --model m --workload prefix:2:16:4:2 --concurrency 4 --requests 12 --seed 3");

        Assert.True(run.ExitCode == 0, run.ToString());
        var prompts = server.Bodies.Select(b => b.GetProperty("prompt").GetString()!).ToList();
        Assert.Equal(12, prompts.Count);
        Assert.All(prompts, p => Assert.Equal(20, PromptTokenizer.Instance.Count(p)));
        var prefixes = prompts.Select(p => PromptTokenizer.Instance.Decode(PromptTokenizer.Instance.Encode(p).Take(16).ToArray())).Distinct().ToList();
        Assert.Equal(2, prefixes.Count);
        Assert.Equal(12, prompts.Distinct().Count());
    }

    [Fact]
    public async Task Duration_bounded_run_stops_by_itself()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var run = await Bench($"bench --url {server.Url} --model m --workload sharegpt --concurrency 2 --duration 1 --stream");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("requests (completed / sent)", run.Stdout, StringComparison.Ordinal);
        Assert.NotEmpty(server.Bodies);
    }

    [Fact]
    public async Task Trace_replays_its_lengths()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var trace = Path.Combine(directory, "trace.jsonl");
        File.WriteAllLines(trace,
        [
            """{"arrival_s": 10.0, "input_tokens": 20, "output_tokens": 3}""",
            """{"arrival_s": 10.01, "input_tokens": 40, "output_tokens": 6}""",
        ]);
        var report = Path.Combine(directory, "trace.json");
        var run = await Bench($"bench --url {server.Url} --model m --workload trace:{trace} --stream --json {report}");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("trace", json.RootElement.GetProperty("load").GetString());
        Assert.Equal(9, json.RootElement.GetProperty("output_tokens").GetInt64());
        Assert.Equal(60, json.RootElement.GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public async Task Every_request_failing_exits_1_with_the_statuses()
    {
        await using var server = await FakeOpenAiServer.StartAsync(failEvery: 1);
        var run = await Bench($"bench --url {server.Url} --model m --workload fixed:8:4 --concurrency 2 --requests 6");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error: no request succeeded (500: 6)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_counts_as_a_connection_error()
    {
        var run = await Bench("bench --url http://127.0.0.1:9 --model m --workload fixed:8:4 --rate 100 --requests 3");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("connection: 3", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_png_draws_the_run_as_a_png_image()
    {
        await using var server = await FakeOpenAiServer.StartAsync(failEvery: 4);
        var plot = Path.Combine(directory, "bench.png");
        var run = await Bench($"bench --url {server.Url} --model fake-model --workload fixed:32:8 --concurrency 4 --requests 12 " +
                              $"--stream --slo-ttft-ms 500 --slo-tpot-ms 50 --plot {plot}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"wrote {plot}", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(BenchPlotTests.PngSignature, File.ReadAllBytes(plot).Take(8));
        Assert.Equal(["bench.png"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Plot_html_is_one_self_contained_page_with_the_charts_and_the_table()
    {
        await using var server = await FakeOpenAiServer.StartAsync(failEvery: 5);
        var plot = Path.Combine(directory, "bench.html");
        File.WriteAllText(plot, "an older page, replaced whole");
        var run = await Bench($"bench --url {server.Url} --model fake-model --workload fixed:32:8 --concurrency 4 --requests 20 " +
                              $"--stream --slo-ttft-ms 500 --plot {plot}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(plot);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<svg").Length - 1);
        foreach (var expected in new[] { "fake-model", "fixed:32:8", "concurrency 4", "<th class=\"n\">p99</th>", "<td>TTFT</td>",
                     "<td>ITL</td>", "goodput (req/s)", "throughput (req/s)", "<td>500</td><td class=\"n\">4</td>", "ttft&lt;=500ms",
                     "failed (4)", "SLO TTFT 500 ms" })
        {
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }

        // Nothing is fetched when the page opens: no scripts, stylesheets, fonts or images from elsewhere, and no URL
        // at all but the benchmarked server's own, in the title and the tables.
        foreach (var external in new[] { "<script", "<link", "<img", "<iframe", "<object", "src=", "@import", "@font-face" })
        {
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        }

        // References inside the page are fine (the charts' clip paths), any other is not.
        Assert.DoesNotMatch(@"(?i)href=""(?!#)|url\((?!#)", html);

        Assert.DoesNotContain("http", html.Replace(server.Url.ToString(), "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["bench.html"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_bad_plot_extension_is_refused_before_any_request_is_sent()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var plot = Path.Combine(directory, "bench.jpg");
        var run = await Bench($"bench --url {server.Url} --model m --workload fixed:8:4 --concurrency 1 --requests 3 --plot {plot}");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--plot", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(".png", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(".html", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        Assert.Empty(server.Bodies);
        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Every_request_failing_still_plots_the_failures()
    {
        await using var server = await FakeOpenAiServer.StartAsync(failEvery: 1);
        var plot = Path.Combine(directory, "failures.html");
        var run = await Bench($"bench --url {server.Url} --model m --workload fixed:8:4 --concurrency 2 --requests 3 --plot {plot}");

        Assert.True(run.ExitCode == 1, run.ToString());
        var html = File.ReadAllText(plot);
        Assert.Contains("failed (3)", html, StringComparison.Ordinal);
        Assert.Contains("<td>500</td><td class=\"n\">3</td>", html, StringComparison.Ordinal);
    }
}
