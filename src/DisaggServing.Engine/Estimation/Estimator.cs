using System.Diagnostics;
using System.Globalization;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// Runs one engine on the virtual clock under a load of fixed lengths or lengths drawn per request (a benchmark's
/// random dataset), and reports medians and throughput, the way the
/// public benchmarks measure them: offline (trtllm-bench) queues every request at t=0 and divides all output tokens
/// by the makespan; closed loop (NIM / genai-perf) keeps N requests in flight, discards a warm-up wave, and measures
/// over the window the measured requests span, with the same load kept up behind them; or, with
/// <see cref="MeasureWindow.All"/>, as bench_serving and <c>vllm bench serve</c> do, over every request from the
/// first wave to the drain. At a request rate (open loop, <c>vllm bench serve --request-rate</c>) every request is
/// sent at its scheduled time, or when a slot frees under a cap on requests in flight, and every one is measured.
/// </summary>
public static class Estimator
{
    /// <summary>Runs the estimate; <paramref name="progress"/> receives the fraction of requests finished.</summary>
    public static EstimateResult Run(EstimateOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wall = Stopwatch.StartNew();
        var spec = options.Engine.Validate();
        var lengths = Lengths(options);
        if (options.Concurrency is < 1) throw new InputException($"--concurrency must be a positive integer; got {options.Concurrency}.");
        if (options.Requests is < 1) throw new InputException($"--requests must be a positive integer; got {options.Requests}.");
        if (options.RequestRate is { } rate)
        {
            // Infinity is vllm bench serve's default: every request sent at once to the served engine.
            if (!(rate > 0))
                throw new InputException($"--request-rate must be a positive number of requests per second, or inf; got {rate}.");
            if (options.Requests is null)
                throw new InputException("--request-rate needs --requests N: the number of requests sent (vllm bench serve's --num-prompts).");
        }
        if (!(options.Burstiness > 0) || double.IsInfinity(options.Burstiness))
            throw new InputException($"--burstiness must be a positive number (1 = Poisson); got {options.Burstiness}.");
        if (options.Burstiness != 1 && options.RequestRate is null)
            throw new InputException("--burstiness shapes the gaps between sends at a request rate; give --request-rate R with it.");
        if (options.Concurrency is null && options.Requests is null) throw new InputException("--offline needs --requests N.");
        if (options.WarmPrompts < 0) throw new InputException($"--warm-prompts must be 0 or a positive integer; got {options.WarmPrompts}.");

        var plan = MemoryModel.Plan(spec);
        var result = new EstimateResult
        {
            Model = spec.Model.Id, Gpu = spec.Gpu.Id, Tp = spec.TensorParallel, Pp = spec.PipelineParallel,
            Engine = spec.Engine.Name, Dtype = spec.WeightDtype.Name(), KvCacheDtype = spec.EffectiveKvDtype.Name(), Speculative = spec.Speculative?.ToString(),
            Mode = options.RequestRate is not null ? "rate" : options.Concurrency is null ? "offline" : "concurrency", Concurrency = options.Concurrency,
            RequestRate = options.RequestRate, Burstiness = options.RequestRate is null ? null : options.Burstiness,
            Measure = options.Measure == MeasureWindow.All || options.RequestRate is not null || options.Concurrency is null ? "all" : MeasureName(options.Measure),
            Endpoint = options.Endpoint == ApiEndpoint.Chat ? "chat" : "completions",
            Isl = options.InputTokens, Osl = options.OutputTokens, Workload = lengths.ToString(), Seed = options.Seed,
            Fits = plan.Fits, WeightsGibPerGpu = plan.WeightBytes / (1 << 30), KvCacheTokens = plan.KvTokens,
            MaxRunningRequests = MemoryModel.RunningSeqsLimit(spec, plan),
        };
        if (!plan.Fits)
        {
            string error;
            try { MemoryModel.RequireFit(spec); error = "does not fit"; }
            catch (InputException e) { error = e.Message; }
            return result with { FitError = error, Requests = options.Requests ?? 0, WallSeconds = wall.Elapsed.TotalSeconds };
        }

        var engine = AsRun(options);
        var cluster = new ClusterSpec { Colocated = new PoolSpec(engine, 1), Admission = options.Admission, Routing = RoutingProfiles.RoundRobin };
        WorkloadRequest[] Requests(int count)
        {
            var requests = lengths.Generate(count, ratePerSecond: null, options.Seed);
            // An earlier run's prompts are the first ones drawn from the same seed, whole prompts in the cache.
            for (var i = 0; i < Math.Min(options.WarmPrompts, count); i++)
                requests[i] = requests[i] with { WarmPrefixTokens = requests[i].InputTokens };
            var longest = requests.Max(r => r.InputTokens + r.OutputTokens);
            if (longest > plan.KvTokens)
            {
                var what = options.Workload is null ? "--isl + --osl" : $"the longest request of --workload {lengths}";
                throw new InputException($"{what} = {longest} tokens exceeds the KV cache ({plan.KvTokens} tokens); shorten the request or raise --tp/--pp.");
            }
            return requests;
        }
        if (options.RequestRate is not null)
            return OpenLoop(result, cluster, options, Requests, progress, wall);
        return options.Concurrency is { } n
            ? ClosedLoop(result, cluster, options, n, Requests, progress, wall)
            : Offline(result, cluster, options, options.Requests!.Value, Requests, progress, wall);
    }

    // The engine as the run drives it: a served run (closed loop or request rate) streams its tokens; an offline one
    // answers once per request.
    private static EngineSpec AsRun(EstimateOptions options) =>
        options.Engine with { StreamsTokens = options.Concurrency is not null || options.RequestRate is not null };

    /// <summary>The <c>--measure</c> word of <paramref name="measure"/>.</summary>
    public static string MeasureName(MeasureWindow measure) => measure switch
    {
        MeasureWindow.All => "all",
        MeasureWindow.FromStart => "from-start",
        _ => "steady",
    };

    // Fixed --isl/--osl, or the workload's lengths: exactly one of them.
    private static WorkloadSpec Lengths(EstimateOptions options)
    {
        if (options.Workload is not { } workload)
        {
            if (options.InputTokens < 1) throw new InputException($"--isl must be a positive integer; got {options.InputTokens}.");
            if (options.OutputTokens < 1) throw new InputException($"--osl must be a positive integer; got {options.OutputTokens}.");
            return WorkloadSpec.Fixed(options.InputTokens, options.OutputTokens);
        }
        if (options.InputTokens != 0 || options.OutputTokens != 0)
            throw new InputException($"Give either --isl/--osl (fixed lengths) or --workload {workload} (lengths drawn per request), not both.");
        if (workload.Kind == WorkloadKind.Trace)
            throw new InputException($"--workload {workload}: estimate issues its own requests (closed loop or offline), so a trace's arrival times do not apply; use fixed:ISL:OSL, uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX, sharegpt or prefix:….");
        return workload;
    }

    private static EstimateResult Offline(EstimateResult result, ClusterSpec cluster, EstimateOptions o, int requests,
        Func<int, WorkloadRequest[]> generate, IProgress<double>? progress, Stopwatch wall)
    {
        var workload = generate(requests);
        var (report, latencies) = ClusterSimulator.RunClosedLoop(cluster, workload, concurrency: requests, progress, queuedAtOnce: true);
        return Summarize(result, workload, latencies, report.SimulatedSeconds, report.OutputTokensPerSecond, requests / report.SimulatedSeconds, requests, report, wall, o);
    }

    private static EstimateResult OpenLoop(EstimateResult result, ClusterSpec cluster, EstimateOptions o,
        Func<int, WorkloadRequest[]> generate, IProgress<double>? progress, Stopwatch wall)
    {
        var count = o.Requests!.Value;
        var times = RequestRateSchedule.SendTimes(count, o.RequestRate!.Value, o.Burstiness, o.Seed);
        var sent = generate(count);
        for (var i = 0; i < count; i++) sent[i] = sent[i] with { ArrivalSeconds = times[i] };
        var (run, latencies) = ClusterSimulator.RunOpenLoop(cluster, sent, o.Concurrency, progress);
        // vllm bench serve's duration runs from the benchmark's start, before the first send's delay, to the last completion.
        var duration = latencies.Max(r => r.ArrivalSeconds + r.E2eSeconds);
        var output = latencies.Sum(r => (double)r.OutputTokens);
        var summary = Summarize(result, sent, latencies, duration, output / duration, count / duration, count, run, wall, o with { Measure = MeasureWindow.All });
        return summary with { PeakInFlight = PeakInFlight(latencies) };
    }

    // Most requests between their send and their completion at any one moment (a completion frees its slot first). Times
    // compare in whole nanoseconds, as the simulation's clock keeps them, so a send at a completion's instant is after it.
    private static int PeakInFlight(RequestLatency[] latencies)
    {
        static long Ns(double seconds) => (long)Math.Round(seconds * 1e9);
        var edges = latencies.SelectMany(r => new[] { (At: Ns(r.ArrivalSeconds), Delta: 1), (At: Ns(r.ArrivalSeconds + r.E2eSeconds), Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, peak = 0;
        foreach (var (_, delta) in edges) peak = Math.Max(peak, now += delta);
        return peak;
    }

    private static EstimateResult ClosedLoop(EstimateResult result, ClusterSpec cluster, EstimateOptions o, int concurrency,
        Func<int, WorkloadRequest[]> generate, IProgress<double>? progress, Stopwatch wall)
    {
        if (o.Measure == MeasureWindow.FromStart && o.MeasurementIntervalMs is { } interval)
            return TimeWindows(result, cluster, o, concurrency, interval, generate, progress, wall);
        var measured = o.Requests ?? BenchmarkDefaults.ClosedLoopRequests(o.Measure, concurrency);
        if (o.Measure == MeasureWindow.All)
        {
            // bench_serving: exactly the requests measured, the first wave starting together and the last draining.
            var sent = generate(measured);
            var (run, latencies) = ClusterSimulator.RunClosedLoop(cluster, sent, concurrency, progress);
            var makespan = latencies.Max(r => r.ArrivalSeconds + r.E2eSeconds) - latencies.Min(r => r.ArrivalSeconds);
            var output = latencies.Sum(r => (double)r.OutputTokens);
            return Summarize(result, sent, latencies, makespan, output / makespan, measured / makespan, measured, run, wall, o);
        }
        // One warm-up wave before (none from the start) and one wave after the measured requests keep the load up around them.
        var warmUp = o.Measure == MeasureWindow.FromStart ? 0 : concurrency;
        var total = warmUp + measured + concurrency;
        var workload = generate(total);
        var (report, all) = ClusterSimulator.RunClosedLoop(cluster, workload, concurrency, progress);
        var byArrival = all.OrderBy(r => r.ArrivalSeconds).ThenBy(r => r.Request).ToArray();
        var window = byArrival.Skip(warmUp).Take(measured).ToArray();
        var start = window.Min(r => r.ArrivalSeconds);
        var end = window.Max(r => r.ArrivalSeconds + r.E2eSeconds);
        // Tokens every request emitted inside the window, taking each request's tokens as spread evenly between
        // its first token and its end.
        double tokens = 0;
        foreach (var r in all)
        {
            var first = r.ArrivalSeconds + r.TtftSeconds;
            var last = r.ArrivalSeconds + r.E2eSeconds;
            if (first >= start && first <= end) tokens += 1;
            if (r.OutputTokens > 1 && last > first)
                tokens += (r.OutputTokens - 1) * Math.Max(0, Math.Min(end, last) - Math.Max(start, first)) / (last - first);
        }
        var duration = end - start;
        return Summarize(result, workload, window, duration, tokens / duration, measured / duration, measured, report, wall, o);
    }

    // genai-perf by time: perf_analyzer's windows from the load's start (PerfAnalyzerWindows), every request that ended
    // in one measured. Enough requests are generated for the loop to outlast the windows: a run that
    // issued them all before profiling ended is run again with four times as many.
    private static EstimateResult TimeWindows(EstimateResult result, ClusterSpec cluster, EstimateOptions o, int concurrency, double intervalMs,
        Func<int, WorkloadRequest[]> generate, IProgress<double>? progress, Stopwatch wall)
    {
        for (var total = BenchmarkDefaults.ClosedLoopRequests(MeasureWindow.FromStart, concurrency); ; total *= 4)
        {
            var windows = new PerfAnalyzerWindows(intervalMs);
            var workload = generate(total);
            var (report, all) = ClusterSimulator.RunClosedLoop(cluster, workload, concurrency, progress, stopWhen: windows.Add);
            if (windows.StopSeconds is null && all.Length == total && total < MaxWindowedRequests) continue;
            windows.Finish();
            var stop = windows.StopSeconds!.Value;
            var measured = all.Where(r => r.ArrivalSeconds + r.E2eSeconds <= stop).ToArray();
            if (measured.Length == 0)
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"No request ended within perf_analyzer's {PerfAnalyzerWindows.MaxTrials} windows of {windows.WindowSeconds:G3} s (--measurement-interval {intervalMs:G6} ms), so genai-perf would report nothing; raise --measurement-interval or give --requests."));
            // genai-perf's duration runs from the first measured send to the last measured end.
            var duration = measured.Max(r => r.ArrivalSeconds + r.E2eSeconds) - measured.Min(r => r.ArrivalSeconds);
            var output = measured.Sum(r => (double)r.OutputTokens);
            return Summarize(result, workload, measured, duration, output / duration, measured.Length / duration, measured.Length, report, wall, o)
                with { MeasurementIntervalMs = intervalMs, MeasuredUntilSeconds = stop };
        }
    }

    // Requests a windowed run generates at most: a loop that still runs out of them finishes what it has.
    private const int MaxWindowedRequests = 1 << 20;

    private static EstimateResult Summarize(EstimateResult result, WorkloadRequest[] workload, RequestLatency[] measured, double seconds,
        double outputTps, double rps, int requests, SimulationReport report, Stopwatch wall, EstimateOptions o)
    {
        var run = AsRun(o);
        var firstTokenSeconds = run.ServerFirstTokenSeconds;
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : LatencySummary.Percentile(sorted, 50);
        }
        var tpot = Median(measured.Where(r => r.TpotSeconds is not null).Select(r => r.TpotSeconds!.Value * 1000));
        // The server's own cost on the first token (HTTP, tokenization, detokenization) sits outside the engine loop, and so
        // does rendering a Jinja chat template on the chat endpoint (EngineSpec.ChatTemplateSeconds; none for harmony models).
        var chatTemplateSeconds = o.Endpoint == ApiEndpoint.Chat && !o.Engine.Model.HarmonyChat ? o.Engine.ChatTemplateSeconds : 0;
        var server = (firstTokenSeconds + chatTemplateSeconds) * 1000;
        // ...and tokenizing the prompt's text, per token (EngineSpec.ServerPromptTokenSeconds), where no served front end
        // already took it in turn before the engine (ClusterRun.FrontEnd: a streamed run's server).
        var perPromptToken = run.StreamsTokens ? 0 : run.ServerPromptTokenSeconds * 1000;
        double Tokenizing(RequestLatency r) => perPromptToken * workload[r.Request].InputTokens;
        // Requests are issued in workload order (closed loop and offline alike), so a latency's index is its request's; at a
        // rate every request is measured, so the means hold even where a cap's waiting line sent two in another order.
        var islMean = measured.Average(r => (double)workload[r.Request].InputTokens);
        var oslMean = measured.Average(r => (double)workload[r.Request].OutputTokens);
        return result with
        {
            Isl = (int)Math.Round(islMean),
            Osl = (int)Math.Round(oslMean),
            IslMean = islMean,
            OslMean = oslMean,
            Requests = requests,
            TtftMs = server + Median(measured.Select(r => r.TtftSeconds * 1000 + Tokenizing(r))),
            TtftMeanMs = server + measured.Average(r => r.TtftSeconds * 1000 + Tokenizing(r)),
            ItlMeanMs = o.Measure == MeasureWindow.All ? TokenWeightedItlMs(measured) : measured.Where(r => r.TpotSeconds is not null).Select(r => r.TpotSeconds!.Value * 1000).DefaultIfEmpty(0).Average(),
            TpotMs = tpot,
            ItlMs = tpot, // genai-perf's per-request ITL is (e2e − ttft) / (tokens − 1): the same quantity
            E2eMs = server + Median(measured.Select(r => r.E2eSeconds * 1000 + Tokenizing(r))),
            E2eMeanMs = server + measured.Average(r => r.E2eSeconds * 1000 + Tokenizing(r)),
            OutputTokensPerSecond = outputTps,
            InputTokensPerSecond = outputTps * islMean / oslMean,
            TotalTokensPerSecond = outputTps * (islMean + oslMean) / oslMean,
            RequestsPerSecond = rps,
            Preemptions = report.Preemptions ?? 0,
            PromptsHeldForRoom = report.PromptsHeldForRoom ?? 0,
            SimulatedSeconds = seconds,
            WallSeconds = wall.Elapsed.TotalSeconds,
        };
    }

    // bench_serving's mean ITL: every gap between two tokens of any request, averaged (np.mean over all requests' itl lists).
    private static double TokenWeightedItlMs(RequestLatency[] measured)
    {
        double gaps = 0, seconds = 0;
        foreach (var r in measured)
        {
            if (r.OutputTokens < 2) continue;
            gaps += r.OutputTokens - 1;
            seconds += r.E2eSeconds - r.TtftSeconds;
        }
        return gaps == 0 ? 0 : seconds / gaps * 1000;
    }
}
