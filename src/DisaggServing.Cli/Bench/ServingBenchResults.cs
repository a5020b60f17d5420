using System.Globalization;
using System.Text;
using System.Text.Json;
using DisaggServing.Engine;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// Turns the results <c>vllm bench serve --save-result</c>, SGLang's <c>bench_serving --output-file</c>, genai-perf
/// (or AIPerf) and <c>trtllm-bench --report_json</c> write into the measured points a profile fit reproduces: each run's mean TTFT, mean ITL and output
/// throughput, estimated under the same load (closed loop at <c>--max-concurrency</c>, all prompts at once, or
/// <c>--request-rate</c> with its burstiness and cap), measured as that client measures.
/// </summary>
internal static class ServingBenchResults
{
    /// <summary>
    /// The runs in <paramref name="path"/> (one JSON object, or one a line as SGLang appends them), read once; null when
    /// its first value is none of these clients' results (a <c>disagg bench --json</c> report).
    /// </summary>
    public static IReadOnlyList<ServingBenchRun>? TryRead(string path)
    {
        var docs = Documents(path);
        return docs.Count > 0 && Recognizes(docs[0].Root) ? Runs(docs) : null;
    }

    /// <summary>The runs in <paramref name="path"/>; throws <see cref="InputException"/> when it holds none.</summary>
    public static IReadOnlyList<ServingBenchRun> Read(string path)
    {
        var docs = Documents(path);
        if (docs.Count == 0) throw new InputException($"--fit {path}: the file is empty; give the JSON that vllm bench serve --save-result or sglang.bench_serving --output-file wrote.");
        return Runs(docs);
    }

    private static bool Recognizes(JsonElement root) =>
        ServingBenchRun.Recognizes(root) || GenaiPerfResult.Recognizes(root) || TrtllmBenchReport.Recognizes(root);

    private static List<ServingBenchRun> Runs(List<Document> docs) =>
        [.. docs.Select(d => ServingBenchRun.Recognizes(d.Root) ? ServingBenchRun.Parse(d.Root, d.Source)
            : GenaiPerfResult.Recognizes(d.Root) ? GenaiPerfResult.Parse(d.Root, d.Source)
            : TrtllmBenchReport.Recognizes(d.Root) ? TrtllmBenchReport.Parse(d.Root, d.Source)
            : throw new InputException($"--fit {d.Source}: not a vllm bench serve, sglang.bench_serving, genai-perf or trtllm-bench result (no completed, duration and output_throughput; no time_to_first_token avg; no performance and request_info)."))];

    /// <summary>
    /// The points of <paramref name="run"/> on the engine <paramref name="engine"/> builds for a model id (<paramref name="model"/>,
    /// else the run's); <paramref name="say"/> receives what was derived.
    /// </summary>
    public static IEnumerable<MeasuredPoint> Points(ServingBenchRun run, string? model, Func<string, EngineSpec> engine, Action<string> say)
    {
        var modelId = model ?? run.ModelId ?? throw new InputException(run.Client == ServingBenchClient.Sglang
            ? $"--fit {run.Source}: sglang.bench_serving results do not name the model; pass --model ID with the model the server served."
            : $"--fit {run.Source}: the result names no model; pass --model ID with the model the server served.");
        EngineSpec spec;
        try { spec = engine(modelId); }
        catch (InputException e) when (model is null)
        {
            throw new InputException($"--fit {run.Source}: the model '{modelId}' is not a catalog id ({e.Message}); pass --model ID with the model it serves.", e);
        }

        if (run.Engine is { } stated)
            spec = spec with
            {
                TensorParallel = stated.TensorParallel ?? spec.TensorParallel, PipelineParallel = stated.PipelineParallel ?? spec.PipelineParallel,
                ExpertParallel = stated.ExpertParallel ?? spec.ExpertParallel, MaxNumSeqs = stated.MaxNumSeqs ?? spec.MaxNumSeqs,
                MaxNumBatchedTokens = stated.MaxNumBatchedTokens ?? spec.MaxNumBatchedTokens, WeightDtype = stated.WeightDtype ?? spec.WeightDtype,
                KvCacheDtype = stated.KvCacheDtype ?? spec.KvCacheDtype,
            };
        var (input, output) = (Math.Max(1, (int)Math.Round(run.MeanInputTokens)), Math.Max(1, (int)Math.Round(run.MeanOutputTokens)));
        var workload = UniformRanges(run);
        // No rate and no cap sends every prompt at once: trtllm-bench's offline run, or a served engine at rate inf (vllm bench
        // serve's and bench_serving's default), its tokens streamed.
        var allAtOnce = run.RequestRate is null && run.MaxConcurrency is null;
        var offline = allAtOnce && run.Client == ServingBenchClient.TrtllmBench;
        var options = new EstimateOptions
        {
            Engine = spec.Validate(),
            InputTokens = workload is null ? input : 0,
            OutputTokens = workload is null ? output : 0,
            Workload = workload,
            // A rate with a cap keeps at most that many in flight.
            Concurrency = allAtOnce ? null : run.MaxConcurrency,
            RequestRate = run.RequestRate ?? (allAtOnce && !offline ? double.PositiveInfinity : null),
            Burstiness = run.Burstiness,
            Requests = run.Prompts,
            // genai-perf measures from the load's start (perf_analyzer's windows open as the load starts), after its warm-up
            // requests where it sent any; vLLM's and SGLang's clients measure every request, and bench_serving's warm-up
            // request leaves the first prompt in SGLang's radix cache.
            Measure = run.Client != ServingBenchClient.GenaiPerf ? MeasureWindow.All
                : run.WarmUpRequests > 0 ? MeasureWindow.Steady : MeasureWindow.FromStart,
            WarmPrompts = run.Client == ServingBenchClient.GenaiPerf ? 0 : BenchmarkDefaults.WarmPrompts(spec.Engine),
            Admission = spec.Engine.Admission,
        };

        var load = run.RequestRate is { } rate
            ? string.Create(CultureInfo.InvariantCulture, $"rate={rate:G4}{(run.MaxConcurrency is { } cap ? $" c≤{cap}" : "")}")
            : allAtOnce ? $"all {run.Prompts} at once" : $"c={run.MaxConcurrency}";
        var lengths = workload is null ? $"{input}→{output} tokens (the run's means)" : $"{workload} (SGLang's random dataset; means {run.MeanInputTokens:F0}→{run.MeanOutputTokens:F0})";
        say(string.Create(CultureInfo.InvariantCulture,
            $"{run.Source}: {run.Completed} requests of {lengths} on {modelId}, {load}; TTFT {run.TtftMeanMs:F1} ms, ITL {run.ItlMeanMs:F2} ms, {run.OutputTokensPerSecond:F0} output tok/s over {run.DurationSeconds:F1} s."));
        if (run.Client == ServingBenchClient.TrtllmBench)
            say($"note: {run.Source}: estimated as trtllm-bench's default offline run (every request queued at once{(run.Engine?.MaxNumSeqs is { } b ? $", max batch {b}" : "")}{(run.Engine?.MaxNumBatchedTokens is { } t ? $", max tokens {t}" : "")}); the report does not say a --concurrency, so fit from runs without one.");
        if (run.Completed < run.Prompts)
            say($"note: {run.Source}: {run.Prompts - run.Completed} of {run.Prompts} requests failed; the means are of those that completed.");

        var label = $"{run.Source} {load}";
        if (run.TtftMeanMs is > 0 and var ttft) yield return new MeasuredPoint(label, CalibrationMetric.TtftMeanMs, ttft, options);
        if (run.ItlMeanMs is > 0 and var itl) yield return new MeasuredPoint(label, CalibrationMetric.ItlMeanMs, itl, options);
        if (run.OutputTokensPerSecond > 0) yield return new MeasuredPoint(label, CalibrationMetric.OutputTokensPerSecond, run.OutputTokensPerSecond, options);
    }

    // SGLang's random dataset draws each length uniformly from [max(1, len × ratio), len]; the estimate draws from the same ranges.
    private static WorkloadSpec? UniformRanges(ServingBenchRun run)
    {
        if (run.RandomLengths is not { } r || r.RangeRatio is < 0 or >= 1 || r.Input < 1 || r.Output < 1) return null;
        return WorkloadSpec.Uniform(UniformLengths.FromRangeRatio(r.Input, r.Output, r.RangeRatio, BenchmarkClient.Sglang));
    }

    private sealed record Document(JsonElement Root, string Source);

    // The whole file as one JSON value, else one a line (JSONL). Python's json writes NaN and Infinity bare, which JSON
    // does not allow, for a metric with no samples; they are read as null (absent).
    private static List<Document> Documents(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--fit {path}: cannot be read ({e.GetType().Name}).");
        }
        text = NullForNonFinite(text);
        var name = Path.GetFileName(path);
        if (string.IsNullOrWhiteSpace(text)) return [];
        var lines = text.Split('\n');
        var first = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        try { return [new Document(Parse(text), name)]; }
        catch (JsonException e) when (!IsJson(lines[first]))
        {
            throw new InputException($"--fit {path}: not valid JSON ({e.Message}).");
        }
        catch (JsonException)
        {
            // Its first line is a whole value: SGLang's appended lines, one run each.
        }
        var docs = new List<Document>();
        for (var i = first; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try { docs.Add(new Document(Parse(lines[i]), $"{name}:{i + 1}")); }
            catch (JsonException e)
            {
                throw new InputException($"--fit {path}:{i + 1}: not valid JSON ({e.Message}); give one result a line, as sglang.bench_serving appends them.");
            }
        }
        return docs;
    }

    private static JsonElement Parse(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    private static bool IsJson(string line)
    {
        try { Parse(line); return true; }
        catch (JsonException) { return false; }
    }

    private static string NullForNonFinite(string text)
    {
        if (!text.Contains("NaN", StringComparison.Ordinal) && !text.Contains("Infinity", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            var token = text.AsSpan(i).StartsWith("NaN") ? 3 : text.AsSpan(i).StartsWith("-Infinity") ? 9 : text.AsSpan(i).StartsWith("Infinity") ? 8 : 0;
            if (token > 0) { sb.Append("null"); i += token - 1; }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
