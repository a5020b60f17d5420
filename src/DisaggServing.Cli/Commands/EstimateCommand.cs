using System.CommandLine;
using System.Globalization;
using DisaggServing.Cli.Output;
using DisaggServing.Engine;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg estimate</c>: one engine under fixed lengths (<c>--isl</c>/<c>--osl</c>) or lengths drawn per request
/// (<c>--workload uniform:…</c>, as a benchmark's random dataset), closed loop (<c>--concurrency</c>, as NIM's
/// benchmark), offline (<c>--offline --requests</c>, as trtllm-bench) or at a request rate (<c>--request-rate
/// --requests</c>, as vllm bench serve and bench_serving). Exits 1 when the model does not fit.
/// </summary>
internal sealed class EstimateCommand : Command
{
    private readonly CliContext context;
    private readonly EngineOptions engine = new();
    private readonly Option<int> tp = CliOptions.PositiveInt("--tp",
        "Tensor-parallel size (GPUs per pipeline stage) [default: 1, as vLLM's --tensor-parallel-size, SGLang's --tp and trtllm-serve's --tp_size].", 1);
    private readonly Option<int?> isl = CliOptions.OptionalPositiveInt("--isl", "Prompt tokens of every request (with --osl; or give --workload).");
    private readonly Option<int?> osl = CliOptions.OptionalPositiveInt("--osl", "Output tokens of every request (with --isl; or give --workload).");
    private readonly Option<WorkloadSpec?> workload = CliOptions.Parsed<WorkloadSpec?>("--workload",
        "Lengths drawn per request instead of --isl/--osl: uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX (bench_serving's and vllm bench's random dataset: --random-range-ratio R at ISL is R·ISL-ISL in bench_serving and benchmark_serving.py, (1-R)·ISL-(1+R)·ISL in vllm bench serve), "
        + "sharegpt:MEAN_IN:MEAN_OUT[:sglang] (ShareGPT at a run's means, filtered as vllm bench serve or bench_serving sample it), "
        + "fixed:ISL:OSL, sharegpt or prefix:NUM_PREFIXES:PREFIX_LEN:SUFFIX_LEN:OSL.",
        "SPEC", WorkloadSpec.Parse);
    private readonly Option<int> seed = new("--seed") { Description = "Seed of the lengths drawn from --workload.", HelpName = "N", DefaultValueFactory = _ => 0 };
    private readonly Option<int?> concurrency = CliOptions.OptionalPositiveInt("--concurrency",
        "Requests kept in flight (closed loop); with --request-rate, the cap on requests in flight (vllm bench serve's --max-concurrency).");
    private readonly Option<double?> requestRate = CliOptions.PositiveDouble("--request-rate",
        "Open loop: send --requests at R requests/s on average and measure every one (vllm bench serve / bench_serving --request-rate); "
        + "inf sends them all at once to the served engine (their default), or keeps --concurrency N in flight.", helpName: "R", allowInfinity: true);
    private readonly Option<double?> burstiness = CliOptions.PositiveDouble("--burstiness",
        "Gamma shape of the gaps between sends at --request-rate: 1 = Poisson, below 1 burstier, above 1 more even [default: 1].", helpName: "B");
    private readonly Option<bool> offline = CliOptions.Flag("--offline", "Queue all --requests at t=0 and measure throughput.");
    private readonly Option<int?> requests = CliOptions.OptionalPositiveInt("--requests",
        "Requests measured [default: offline, the dataset size TensorRT-LLM's perf overview runs at those lengths (30,000 at 128/128, 3,000 at 1000/1000, 1,500 at most others); at --request-rate, and with --concurrency under --measure all, 1,000 (the --num-prompts of vllm bench serve and bench_serving); under --measure steady, eight waves of --concurrency (at least 64) after a warm-up wave, and under --measure from-start eight from the load's start, unless --measurement-interval measures by time].");
    private readonly Option<MeasureWindow?> measure = CliOptions.Parsed<MeasureWindow?>("--measure",
        "Which requests the means count: steady (after a warm-up wave, load kept up behind them: NIM's benchmarks, genai-perf with warm-up requests), from-start (the same without the warm-up: the first wave and its queue count, as genai-perf measures without warm-up requests and measured NIM 1.0) or all (every --requests from the first wave to the drain, ITL over all token gaps: SGLang bench_serving, vllm bench serve) [default: the engine's benchmark's: steady for NIM (--engine nim: genai-perf; from-start before NIM 1.1) and TensorRT engines (--trtllm-backend tensorrt), all for trtllm-serve's PyTorch backend (its benchmark_serving), vllm and sglang].",
        "steady|from-start|all", text => text.Trim().ToLowerInvariant() switch
        {
            "steady" => MeasureWindow.Steady,
            "from-start" => MeasureWindow.FromStart,
            "all" => MeasureWindow.All,
            _ => throw new InputException($"--measure '{text}' is not known; use steady, from-start or all."),
        });
    private readonly Option<double?> measurementInterval = CliOptions.PositiveDouble("--measurement-interval",
        "With --measure from-start: measure as genai-perf by time (its --measurement-interval, ms): perf_analyzer's windows of 1.2 × MS from the load's start, ending after three in a row with requests ending and throughputs and mean latencies within 10.99× of each other (--stability-percentage 999) or after ten; every request that ended in one counts, throughput over the first send to the last end. Without it, from-start counts --requests (perf_analyzer's --request-count).", helpName: "MS");
    private readonly Option<int?> warmPrompts = CliOptions.OptionalNonNegativeInt("--warm-prompts",
        "The first N requests' prompts are already in the prefix cache: bench_serving's warm-up request (1), or an earlier, smaller run of the same seeded prompts on the same server; 0 for a flushed cache [default: 1 for sglang (bench_serving's warm-up), else 0].");
    private readonly Option<ApiEndpoint?> endpoint = CliOptions.Parsed<ApiEndpoint?>("--endpoint",
        "The OpenAI endpoint the requests go to: completions (vllm bench serve's and bench_serving's default) or chat (vllm bench serve --backend openai-chat, /v1/chat/completions): chat adds the engine's chat-template rendering to every first token; the clients' --backend names say it too (openai-chat, sglang-oai-chat, vllm-chat: chat; vllm, openai, sglang, sglang-oai, trt, tensorrt-llm: completions) [default: completions].",
        "completions|chat", text => ParseEndpoint(text));
    private readonly RandomDatasetOptions dataset = new();
    private readonly VllmParallelOptions vllmParallel = new();
    private readonly Option<bool> ignoreEos = CliOptions.Flag("--ignore-eos",
        "Accepted as the clients spell it: every estimate runs as their --ignore-eos does, each request writing its whole output (where a real one would stop at EOS cannot be known).");
    private readonly Option<AdmissionPolicy?> admission = AdmissionOption.Create();
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the result as JSON.");

    public EstimateCommand(CliContext context)
        : base("estimate", "Estimate latency and throughput of one engine under fixed or benchmark-drawn request lengths.")
    {
        this.context = context;
        // vllm bench serve's, bench_serving's and the engines' own spellings, so a published command runs as written.
        EngineOptions.AddAliases(tp, "--tensor-parallel-size", "--tp-size", "--tp_size");
        // SGLang's scripts also spell them as argparse's abbreviations (--random-input, --num-prompt).
        EngineOptions.AddAliases(isl, "--input-len", "--random-input-len", "--random-input");
        EngineOptions.AddAliases(osl, "--output-len", "--random-output-len", "--random-output");
        EngineOptions.AddAliases(concurrency, "--max-concurrency");
        EngineOptions.AddAliases(requests, "--num-prompts", "--num-prompt");
        EngineOptions.AddAliases(endpoint, "--backend");
        engine.AddTo(this, tp);
        vllmParallel.AddTo(this);
        Add(isl);
        Add(osl);
        Add(workload);
        dataset.AddTo(this);
        Add(seed);
        Add(concurrency);
        Add(requestRate);
        Add(burstiness);
        Add(offline);
        Add(requests);
        Add(measure);
        Add(measurementInterval);
        Add(warmPrompts);
        Add(endpoint);
        Add(ignoreEos);
        Add(admission);
        Add(json);
        SetAction(Execute);
    }

    // The endpoint, by its name or path, or by the benchmark client's --backend that calls it (vllm bench serve's and
    // SGLang's bench_serving's: the chat backends end in "chat").
    private static ApiEndpoint ParseEndpoint(string text) => text.Trim().ToLowerInvariant() switch
    {
        "completions" or "/v1/completions" or "vllm" or "openai" or "sglang" or "sglang-oai" or "sglang-native" or "trt" or "tensorrt-llm" => ApiEndpoint.Completions,
        "chat" or "/v1/chat/completions" or "openai-chat" or "sglang-oai-chat" or "vllm-chat" => ApiEndpoint.Chat,
        _ => throw new InputException($"--endpoint '{text}' is not known; use completions or chat (or a client's --backend: openai-chat, vllm, sglang, ...)."),
    };

    /// <summary>The engine's options from a parse; cross-option rules throw an <see cref="InputException"/>.</summary>
    internal EstimateOptions BuildOptions(ParseResult parse)
    {
        var inFlight = parse.GetValue(concurrency);
        var isOffline = parse.GetValue(offline);
        var count = parse.GetValue(requests);
        var rate = parse.GetValue(requestRate);
        var window = parse.GetValue(measure);
        // vllm bench serve's and bench_serving's default rate, inf, sends every request at once: to a served engine (its
        // own limits, not trtllm-bench's, its tokens streamed), all measured; under --max-concurrency N it keeps N in flight.
        var sendAllAtOnce = rate is double.PositiveInfinity;
        if (sendAllAtOnce)
        {
            if (isOffline)
                throw new InputException("Give either --request-rate inf (a served engine sent every request at once) or --offline (an offline run), not both.");
            if (parse.GetValue(burstiness) is not null)
                throw new InputException("--burstiness shapes the gaps between sends; --request-rate inf sends every request at once. Leave out --burstiness.");
            if (inFlight is not null) rate = null;
            window ??= MeasureWindow.All;
            count ??= BenchmarkDefaults.Requests(offline: false, 0, 0);
        }
        if (rate is not null)
        {
            if (isOffline)
                throw new InputException("Give either --request-rate R (requests sent at R/s) or --offline (all requests at t=0), not both.");
            if (window is { } w && w != MeasureWindow.All)
                throw new InputException($"--request-rate measures every request (--measure all), as vllm bench serve does; leave out --measure {Estimator.MeasureName(w)}.");
        }
        else if (parse.GetValue(burstiness) is { } b)
        {
            throw new InputException($"--burstiness {b.ToString(CultureInfo.InvariantCulture)} shapes the gaps between sends at a request rate; give --request-rate R with it.");
        }
        else if (inFlight is not null && isOffline)
            throw new InputException("Give either --concurrency N (closed loop) or --offline (all requests at t=0), not both.");
        if (isOffline && window is { } ow && ow != MeasureWindow.All)
            throw new InputException($"--offline measures every request, from the first to the last (--measure all); leave out --measure {Estimator.MeasureName(ow)}.");
        if (inFlight is null && !isOffline && rate is null && !sendAllAtOnce)
            throw new InputException("Give --concurrency N (closed loop), --offline (all requests at t=0) or --request-rate R (open loop).");

        var interval = parse.GetValue(measurementInterval);
        if (interval is not null && count is not null)
            throw new InputException("Give either --measurement-interval MS (genai-perf measuring by time) or --requests N (by count), not both.");

        var served = engine.Profile.Resolve(parse).Engine;
        var (input, output, lengths) = dataset.Apply(parse, served, parse.GetValue(isl), parse.GetValue(osl), parse.GetValue(workload));
        if (isOffline || rate is not null) count ??= BenchmarkDefaults.Requests(isOffline, input ?? 0, output ?? 0);
        if (lengths is not null && (input is not null || output is not null))
            throw new InputException($"Give either --isl and --osl (every request the same) or --workload {lengths} (lengths drawn per request), not both.");
        if (lengths is null && (input is null || output is null))
            throw new InputException("Give the request lengths: --isl N and --osl N (every request the same), or --workload SPEC (e.g. uniform:1-1000:1-1000, drawn per request).");

        var (ranks, expertParallel, attentionDp) = vllmParallel.Apply(parse, served, engine.Weights(parse).Model, parse.GetValue(tp), engine.ExpertParallel);
        var spec = WithDefaultLimits(parse, engine.Build(parse, ranks, expertParallel, attentionDp), isOffline, input ?? 0, output ?? 0, lengths, count ?? 0).Validate();
        // An offline run and an open loop measure every request; a closed loop as its benchmark does unless told.
        var measured = rate is not null || inFlight is null ? MeasureWindow.All : window ?? BenchmarkDefaults.Measure(spec);
        if (interval is not null && measured != MeasureWindow.FromStart)
            throw new InputException($"--measurement-interval times perf_analyzer's windows from the load's start; give --measure from-start with --concurrency N (this run measures {Estimator.MeasureName(measured)}).");
        return new EstimateOptions
        {
            Engine = spec,
            InputTokens = input ?? 0,
            OutputTokens = output ?? 0,
            Workload = lengths,
            Seed = parse.GetValue(seed),
            Concurrency = inFlight,
            RequestRate = rate,
            Burstiness = parse.GetValue(burstiness) ?? 1,
            Requests = count,
            Measure = measured,
            MeasurementIntervalMs = interval,
            WarmPrompts = parse.GetValue(warmPrompts) ?? BenchmarkDefaults.WarmPrompts(spec.Engine),
            Endpoint = parse.GetValue(endpoint) ?? ApiEndpoint.Completions,
            Admission = parse.GetValue(admission) ?? spec.Engine.Admission,
        };
    }

    // The limits not given on the command line are the run's benchmark's (trtllm-bench sizes its own offline).
    private EngineSpec WithDefaultLimits(ParseResult parse, EngineSpec spec, bool isOffline, int input, int output, WorkloadSpec? lengths, int requestCount)
    {
        var (meanInput, meanOutput) = isOffline ? BenchmarkDefaults.MeanLengths(input, output, lengths, requestCount, parse.GetValue(seed)) : (input, output);
        var (seqs, tokens, chunked) = BenchmarkDefaults.Limits(spec, isOffline, meanInput, meanOutput);
        return spec with
        {
            MaxNumSeqs = parse.GetValue(engine.MaxNumSeqs) ?? seqs,
            MaxNumBatchedTokens = parse.GetValue(engine.MaxNumBatchedTokens) ?? tokens,
            EnableChunkedPrefill = parse.GetValue(engine.ChunkedPrefill) is { } on ? on == "on" : chunked,
        };
    }

    private int Execute(ParseResult parse)
    {
        var options = BuildOptions(parse);
        if (engine.Weights(parse).Note is { } note) context.Stderr.WriteLine(note);
        if (engine.NimNote(parse) is { } nim) context.Stderr.WriteLine(nim);
        if (RunNotes.ContextExceeded(options.Engine.Model, options.Workload is { } drawn ? drawn.LongestRequestTokens : options.InputTokens + options.OutputTokens) is { } tooLong)
            context.Stderr.WriteLine(tooLong);
        var result = ProgressDisplay.Run(context, "estimating", progress => context.Engine.Estimate(options, progress));
        if (parse.GetValue(json))
        {
            context.Stdout.WriteLine(JsonOutput.Serialize(result));
        }
        else
        {
            EstimateTable.Write(context.Stdout, result);
        }

        if (RunNotes.PromptsHeld(result.PromptsHeldForRoom, options.Engine.MaxNumBatchedTokens, options.Engine.Engine.Engine == ServingEngine.Trtllm) is { } held)
            context.Stderr.WriteLine(held);

        return result.Fits
            ? ExitCodes.Ok
            : CliApp.Fail(context.Stderr, result.FitError ?? $"{result.Model} does not fit TP {result.Tp} x PP {result.Pp} of {result.Gpu}.",
                ExitCodes.DoesNotFit);
    }
}
