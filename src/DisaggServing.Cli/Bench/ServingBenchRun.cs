using System.Globalization;
using System.Text.Json;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Bench;

/// <summary>Which client wrote a <see cref="ServingBenchRun"/>.</summary>
internal enum ServingBenchClient
{
    /// <summary><c>vllm bench serve --save-result</c> (and the older <c>benchmarks/benchmark_serving.py</c>): one JSON object a file.</summary>
    Vllm,

    /// <summary>SGLang's <c>python -m sglang.bench_serving --output-file</c>: one JSON object a line, each run appended.</summary>
    Sglang,

    /// <summary>NVIDIA's genai-perf (<c>profile_export_genai_perf.json</c>) and its successor AIPerf (<c>profile_export_aiperf.json</c>).</summary>
    GenaiPerf,

    /// <summary><c>trtllm-bench throughput --report_json</c>: an offline run of TensorRT-LLM with its engine settings.</summary>
    TrtllmBench,
}

/// <summary>The engine settings a result states: parallelism, scheduler limits, formats.</summary>
internal sealed record RunEngineSettings(int? TensorParallel, int? PipelineParallel, int? ExpertParallel, int? MaxNumSeqs, int? MaxNumBatchedTokens, DType? WeightDtype, DType? KvCacheDtype);

/// <summary>
/// One run as <c>vllm bench serve --save-result</c>, SGLang's <c>bench_serving --output-file</c> or genai-perf/AIPerf
/// saved it: the load (request rate, max concurrency, prompts), the lengths (the totals; SGLang also its random dataset's
/// settings) and the means. vLLM's and SGLang's clients average every request of the run and every inter-token gap;
/// genai-perf measures from the load's start (after its warm-up requests where it sent any) and averages each request's
/// own mean gap (<see cref="GenaiPerfResult"/>).
/// </summary>
internal sealed record ServingBenchRun
{
    /// <summary>The file (and line, for SGLang's JSONL) the run came from.</summary>
    public required string Source { get; init; }

    /// <summary>The client that wrote it.</summary>
    public required ServingBenchClient Client { get; init; }

    /// <summary>vLLM's <c>model_id</c> (SGLang's results name none).</summary>
    public string? ModelId { get; init; }

    /// <summary>Requests that completed (failed ones are not in the means).</summary>
    public required int Completed { get; init; }

    /// <summary>Requests the run sent (<c>num_prompts</c>; <see cref="Completed"/> where not saved).</summary>
    public required int Prompts { get; init; }

    /// <summary>Mean prompt tokens of the completed requests.</summary>
    public required double MeanInputTokens { get; init; }

    /// <summary>Mean output tokens of the completed requests.</summary>
    public required double MeanOutputTokens { get; init; }

    /// <summary><c>--request-rate</c>; null for <c>inf</c> (every request sent at once, or as fast as the concurrency cap lets).</summary>
    public double? RequestRate { get; init; }

    /// <summary><c>--burstiness</c> (vLLM; 1 is Poisson).</summary>
    public double Burstiness { get; init; } = 1;

    /// <summary><c>--max-concurrency</c>; null for none.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Seconds the run took.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Output tokens per second over the run.</summary>
    public required double OutputTokensPerSecond { get; init; }

    /// <summary>Mean time to first token, ms.</summary>
    public double? TtftMeanMs { get; init; }

    /// <summary>Mean inter-token latency over all gaps, ms.</summary>
    public double? ItlMeanMs { get; init; }

    /// <summary>
    /// genai-perf's and AIPerf's <c>--warmup-request-count</c>: requests sent and dropped before measuring. 0 by default,
    /// and for genai-perf before the option (perf_analyzer measured from the load's start, the first wave included).
    /// </summary>
    public int WarmUpRequests { get; init; }

    /// <summary>SGLang's <c>--random-input-len</c>, <c>--random-output-len</c> and <c>--random-range-ratio</c>.</summary>
    public (int Input, int Output, double RangeRatio)? RandomLengths { get; init; }

    /// <summary>What the run states of its engine (trtllm-bench reports do); null fields keep the fit's flags.</summary>
    public RunEngineSettings? Engine { get; init; }

    /// <summary>True when <paramref name="root"/> looks like a result of either client (a disagg bench report has none of these).</summary>
    public static bool Recognizes(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("completed", out _) && root.TryGetProperty("output_throughput", out _) && root.TryGetProperty("duration", out _);

    /// <summary>Reads one result object; throws <see cref="InputException"/> naming <paramref name="source"/> and the field when a needed one is missing or wrong.</summary>
    public static ServingBenchRun Parse(JsonElement root, string source)
    {
        // vLLM saves the model and its own arguments (endpoint_type, burstiness); SGLang saves its dataset's.
        var client = root.TryGetProperty("model_id", out _) || root.TryGetProperty("burstiness", out _) || root.TryGetProperty("endpoint_type", out _)
            ? ServingBenchClient.Vllm : ServingBenchClient.Sglang;
        var completed = (int)Number(root, "completed", source);
        if (completed < 1)
            throw new InputException($"--fit {source}: no request completed (completed = {completed}), so there is nothing to fit.");
        var duration = Number(root, "duration", source);
        if (duration <= 0) throw new InputException($"--fit {source}: duration is {duration.ToString(CultureInfo.InvariantCulture)} s; a finished run lasts longer than 0 s.");

        (int, int, double)? random = null;
        if (Text(root, "dataset_name") == "random" && OptionalNumber(root, "random_input_len", source) is { } input
            && OptionalNumber(root, "random_output_len", source) is { } output && OptionalNumber(root, "random_range_ratio", source) is { } ratio)
            random = ((int)input, (int)output, ratio);

        return new ServingBenchRun
        {
            Source = source,
            Client = client,
            ModelId = Text(root, "model_id") is { Length: > 0 } id ? id : null,
            Completed = completed,
            Prompts = OptionalNumber(root, "num_prompts", source) is { } n && n >= completed ? (int)n : completed,
            MeanInputTokens = Number(root, "total_input_tokens", source) / completed,
            MeanOutputTokens = Number(root, "total_output_tokens", source) / completed,
            RequestRate = Rate(root, source),
            Burstiness = OptionalNumber(root, "burstiness", source) ?? 1,
            MaxConcurrency = OptionalNumber(root, "max_concurrency", source) is { } c ? (int)c : null,
            DurationSeconds = duration,
            OutputTokensPerSecond = Number(root, "output_throughput", source),
            TtftMeanMs = OptionalNumber(root, "mean_ttft_ms", source),
            ItlMeanMs = OptionalNumber(root, "mean_itl_ms", source),
            RandomLengths = random,
        };
    }

    // Both clients write "inf" (a string) for no rate, else the number.
    private static double? Rate(JsonElement root, string source)
    {
        if (!root.TryGetProperty("request_rate", out var rate) || rate.ValueKind == JsonValueKind.Null) return null;
        if (rate.ValueKind == JsonValueKind.String && rate.GetString() is { } s)
        {
            if (s.Equals("inf", StringComparison.OrdinalIgnoreCase)) return null;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
                return double.IsPositiveInfinity(parsed) ? null : parsed;
        }
        else if (rate.ValueKind == JsonValueKind.Number && rate.GetDouble() is > 0 and var r) return r;
        throw new InputException($"--fit {source}: request_rate '{rate}' is neither \"inf\" nor a positive number of requests per second.");
    }

    private static double Number(JsonElement root, string name, string source) =>
        OptionalNumber(root, name, source)
        ?? throw new InputException($"--fit {source}: the result has no '{name}'; give the JSON that vllm bench serve --save-result or sglang.bench_serving --output-file wrote, unedited.");

    private static double? OptionalNumber(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble())) return value.GetDouble();
        throw new InputException($"--fit {source}: '{name}' is {value.ValueKind.ToString().ToLowerInvariant()} {value}, not a number.");
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
