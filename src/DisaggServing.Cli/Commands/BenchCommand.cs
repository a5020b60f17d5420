using System.CommandLine;
using DisaggServing.Cli.Bench;
using DisaggServing.Cli.Output;
using DisaggServing.Engine;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg bench</c>: an OpenAI-compatible load generator in the manner of <c>vllm bench serve</c>. Open-loop
/// Poisson (<c>--rate</c>) or closed-loop (<c>--concurrency</c>) load of token-exact prompts against one http(s)
/// URL, bounded by a request count and/or a duration; reports TTFT/TPOT/ITL/E2E percentiles, throughput, SLO
/// attainment, goodput and errors by status.
/// </summary>
internal sealed class BenchCommand : Command
{
    private readonly CliContext context;
    private readonly Option<Uri> url = CliOptions.Required(CliOptions.Parsed("--url",
        "Base URL of the OpenAI-compatible server (http or https), e.g. http://localhost:8000; /v1/... is appended.", "URL", ParseUrl));
    private readonly Option<string> model = CliOptions.Required(new Option<string>("--model") { Description = "Model id sent in each request.", HelpName = "ID" });
    private readonly Option<string?> apiKey = new("--api-key") { Description = "Bearer token sent as the Authorization header.", HelpName = "K" };
    private readonly Option<WorkloadSpec> workload = CliOptions.Required(CliOptions.Parsed("--workload",
        $"Requests: {WorkloadSpec.AcceptedForms}.", "fixed:ISL:OSL|uniform:MIN-MAX:MIN-MAX|sharegpt|trace:FILE", WorkloadSpec.Parse));
    private readonly Option<double?> rate = CliOptions.PositiveDouble("--rate",
        "Open loop: Poisson arrivals at R requests per second (exclusive with --concurrency).", helpName: "R");
    private readonly Option<int?> concurrency = CliOptions.OptionalPositiveInt("--concurrency",
        "Closed loop: keep N requests in flight (exclusive with --rate).");
    private readonly Option<int?> requests = CliOptions.OptionalPositiveInt("--requests",
        "Requests to send (with --duration, whichever ends first).");
    private readonly Option<double?> duration = CliOptions.PositiveDouble("--duration",
        "Seconds, from the first send, during which new requests start; requests in flight then finish (with --requests, whichever ends first).", helpName: "S");
    private readonly Option<bool> stream = CliOptions.Flag("--stream",
        "Stream responses and time every chunk (TTFT, ITL, TPOT); without it only end-to-end latency is measured and TTFT = E2E.");
    private readonly Option<double?> sloTtft = CliOptions.PositiveDouble("--slo-ttft-ms", "SLO bound on time to first token, ms.", helpName: "MS");
    private readonly Option<double?> sloTpot = CliOptions.PositiveDouble("--slo-tpot-ms", "SLO bound on time per output token, ms.", helpName: "MS");
    private readonly Option<string?> json = new("--json") { Description = "Also write the report as JSON to FILE.", HelpName = "FILE" };
    private readonly Option<BenchPlotFile?> plot = CliOptions.Parsed<BenchPlotFile?>(BenchPlotFile.Option,
        "Also draw the latency CDFs (TTFT, TPOT, ITL, E2E) and TTFT over the run, failures marked, to FILE: .png for an image, " +
        ".html for one self-contained page with the charts and the report's tables.", "FILE.png|FILE.html", BenchPlotFile.Parse);
    private readonly Option<string> endpoint = WithDefault(CliOptions.Parsed("--endpoint",
        "API: completions (/v1/completions) or chat (/v1/chat/completions).", "chat|completions", ParseEndpoint), "completions");
    private readonly Option<int> seed = new("--seed") { Description = "Seed of arrivals, lengths and prompt words.", DefaultValueFactory = _ => 0, HelpName = "S" };
    private readonly Option<double?> timeout = CliOptions.PositiveDouble("--timeout",
        "Longest one request may take before it counts as a timeout, seconds [default: 600].", helpName: "S");

    public BenchCommand(CliContext context)
        : base("bench", "Load-test an OpenAI-compatible server (our router, a worker or any other) and report latency percentiles, throughput and goodput.")
    {
        this.context = context;
        foreach (var option in new Option[] { url, model, apiKey, workload, rate, concurrency, requests, duration, stream,
                     sloTtft, sloTpot, json, plot, endpoint, seed, timeout })
        {
            Add(option);
        }

        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var settings = Settings(parse);
        var jsonPath = parse.GetValue(json);
        if (jsonPath is not null)
        {
            CheckWritable(jsonPath);
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops starting requests and reports what finished; a second one kills the process.
            e.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        (BenchOutcome[] Outcomes, double Seconds) run;
        try
        {
            run = ProgressDisplay.Run(context, "benchmarking",
                progress => BenchRunner.RunAsync(settings, progress, stop.Token).GetAwaiter().GetResult());
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        var report = BenchReport.Build(settings, run.Outcomes, run.Seconds);
        BenchTable.Write(context.Stdout, report);
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonOutput.Serialize(report) + Environment.NewLine);
            context.Stderr.WriteLine($"wrote {jsonPath}");
        }

        // Also when every request failed: the timeline shows when the failures happened.
        if (parse.GetValue(plot) is { } plotFile)
        {
            plotFile.Write(report, run.Outcomes);
            context.Stderr.WriteLine($"wrote {plotFile.Path}");
        }

        if (report.Requests > 0 && report.Completed == 0)
        {
            return CliApp.Fail(context.Stderr, $"no request succeeded ({string.Join(", ", report.Errors.Select(e => $"{e.Key}: {e.Value}"))}).", ExitCodes.AllFailed);
        }

        return ExitCodes.Ok;
    }

    private BenchSettings Settings(ParseResult parse)
    {
        var spec = parse.GetRequiredValue(workload);
        var perSecond = parse.GetValue(rate);
        var inFlight = parse.GetValue(concurrency);
        var count = parse.GetValue(requests);
        var seconds = parse.GetValue(duration);
        if (perSecond is not null && inFlight is not null)
            throw new InputException("--rate and --concurrency exclude each other: --rate R offers open-loop Poisson load, --concurrency N keeps N requests in flight.");
        if (spec.Kind == WorkloadKind.Trace)
        {
            if (perSecond is not null)
                throw new InputException($"--rate does not apply to --workload {spec}: a trace replays its own arrival times; leave out --rate, or use --concurrency N.");
        }
        else
        {
            if (perSecond is null && inFlight is null)
                throw new InputException($"--rate R or --concurrency N is required with --workload {spec}.");
            if (count is null && seconds is null)
                throw new InputException($"--requests N or --duration S is required with --workload {spec}, so the run ends by itself.");
        }

        return new BenchSettings
        {
            Url = parse.GetRequiredValue(url),
            Model = RequireText(parse.GetRequiredValue(model), "--model"),
            ApiKey = parse.GetValue(apiKey),
            Workload = spec,
            Rate = perSecond,
            Concurrency = inFlight,
            Requests = count,
            DurationSeconds = seconds,
            Stream = parse.GetValue(stream),
            Slo = new SloSpec(parse.GetValue(sloTtft), parse.GetValue(sloTpot)),
            Chat = parse.GetValue(endpoint) == "chat",
            Seed = parse.GetValue(seed),
            TimeoutSeconds = parse.GetValue(timeout) ?? 600,
        };
    }

    private static string RequireText(string text, string name) =>
        string.IsNullOrWhiteSpace(text) ? throw new InputException($"{name} must not be empty.") : text.Trim();

    private static void CheckWritable(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new InputException($"--json {path}: the directory {directory} does not exist.");
    }

    private static Option<T> WithDefault<T>(Option<T> option, T value)
    {
        option.DefaultValueFactory = _ => value;
        return option;
    }

    private static string ParseEndpoint(string text) => text.Trim().ToLowerInvariant() switch
    {
        "chat" => "chat",
        "completions" => "completions",
        _ => throw new InputException($"--endpoint '{text}' is not chat or completions."),
    };

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new InputException($"--url '{text}' is not an http:// or https:// URL, such as http://localhost:8000.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new InputException($"--url '{text}': give the server's base URL, without a query or fragment.");
        return uri;
    }

}
