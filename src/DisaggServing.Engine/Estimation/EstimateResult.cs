using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Estimation;

/// <summary>What <see cref="Estimator"/> predicts; latencies are medians over measured requests, in ms.</summary>
public sealed record EstimateResult
{
    /// <summary>Model id.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>GPU id.</summary>
    [JsonPropertyName("gpu")] public required string Gpu { get; init; }

    /// <summary>Serving engine profile (vllm, sglang, trtllm).</summary>
    [JsonPropertyName("engine")] public string Engine { get; init; } = "trtllm";

    /// <summary>Tensor parallelism.</summary>
    [JsonPropertyName("tp")] public int Tp { get; init; }

    /// <summary>Pipeline parallelism.</summary>
    [JsonPropertyName("pp")] public int Pp { get; init; }

    /// <summary>Weight dtype.</summary>
    [JsonPropertyName("dtype")] public required string Dtype { get; init; }

    /// <summary>KV-cache dtype.</summary>
    [JsonPropertyName("kv_cache_dtype")] public required string KvCacheDtype { get; init; }

    /// <summary>Speculative decoding as run (<c>mtp, 3 draft tokens, acceptance length 2.5</c>), or null without it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonPropertyName("speculative")] public string? Speculative { get; init; }

    /// <summary><c>concurrency</c>, <c>offline</c> or <c>rate</c>.</summary>
    [JsonPropertyName("mode")] public required string Mode { get; init; }

    /// <summary>Requests in flight (closed loop), the cap on them (rate), or null offline or uncapped.</summary>
    [JsonPropertyName("concurrency")] public int? Concurrency { get; init; }

    /// <summary>Requests sent per second (rate mode only).</summary>
    [JsonPropertyName("request_rate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RequestRate { get; init; }

    /// <summary>Gamma shape of the gaps between sends, 1 for Poisson (rate mode only).</summary>
    [JsonPropertyName("burstiness")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Burstiness { get; init; }

    /// <summary>Most requests in flight at once (rate mode only): at the cap, requests waited to be sent.</summary>
    [JsonPropertyName("peak_in_flight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PeakInFlight { get; init; }

    /// <summary><c>steady</c> (after a warm-up wave), <c>from-start</c> or <c>all</c> (every request, as bench_serving).</summary>
    [JsonPropertyName("measure")] public string Measure { get; init; } = "steady";

    /// <summary>genai-perf's measurement interval (ms) where the run was measured by perf_analyzer's time windows; null when by count.</summary>
    [JsonPropertyName("measurement_interval_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeasurementIntervalMs { get; init; }

    /// <summary>When perf_analyzer's windows ended the measurement, in seconds from the load's start (with <see cref="MeasurementIntervalMs"/>).</summary>
    [JsonPropertyName("measured_until_s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeasuredUntilSeconds { get; init; }

    /// <summary><c>completions</c> or <c>chat</c> (the chat template rendered before each request's prefill).</summary>
    [JsonPropertyName("endpoint")] public string Endpoint { get; init; } = "completions";

    /// <summary>Requests measured.</summary>
    [JsonPropertyName("requests")] public int Requests { get; init; }

    /// <summary>Prompt tokens per request (with a length distribution, its measured mean rounded).</summary>
    [JsonPropertyName("isl")] public int Isl { get; init; }

    /// <summary>Output tokens per request (with a length distribution, its measured mean rounded).</summary>
    [JsonPropertyName("osl")] public int Osl { get; init; }

    /// <summary>The lengths' workload spec, e.g. <c>fixed:1000:1000</c> or <c>uniform:1-1999:1-1999</c>.</summary>
    [JsonPropertyName("workload")] public string? Workload { get; init; }

    /// <summary>Seed the lengths were drawn with.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }

    /// <summary>Mean prompt tokens of the measured requests (what a benchmark's total input tokens ÷ requests gives).</summary>
    [JsonPropertyName("isl_mean")] public double? IslMean { get; init; }

    /// <summary>Mean output tokens of the measured requests.</summary>
    [JsonPropertyName("osl_mean")] public double? OslMean { get; init; }

    /// <summary>True when weights, activations and a step's KV fit the GPUs.</summary>
    [JsonPropertyName("fits")] public bool Fits { get; init; }

    /// <summary>Why it does not fit (null when it fits).</summary>
    [JsonPropertyName("fit_error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FitError { get; init; }

    /// <summary>Weights per GPU, GiB.</summary>
    [JsonPropertyName("weights_gib_per_gpu")] public double WeightsGibPerGpu { get; init; }

    /// <summary>Tokens the KV cache holds.</summary>
    [JsonPropertyName("kv_cache_tokens")] public long KvCacheTokens { get; init; }

    /// <summary>
    /// Requests the engine runs at once at most: its sequence limit, or fewer where a hybrid model's separate state pool
    /// holds fewer (SGLang's mamba pool, MemoryModel.RunningSeqsLimit).
    /// </summary>
    [JsonPropertyName("max_running_requests")] public int MaxRunningRequests { get; init; }

    /// <summary>Median time to first token.</summary>
    [JsonPropertyName("ttft_ms")] public double? TtftMs { get; init; }

    /// <summary>Mean time to first token (what genai-perf and NIM's tables report as the average).</summary>
    [JsonPropertyName("ttft_mean_ms")] public double? TtftMeanMs { get; init; }

    /// <summary>Mean of per-request inter-token latency (genai-perf's average ITL).</summary>
    [JsonPropertyName("itl_mean_ms")] public double? ItlMeanMs { get; init; }

    /// <summary>Median of per-request mean inter-token latency (genai-perf's ITL).</summary>
    [JsonPropertyName("itl_ms")] public double? ItlMs { get; init; }

    /// <summary>Median time per output token after the first (vLLM's TPOT).</summary>
    [JsonPropertyName("tpot_ms")] public double? TpotMs { get; init; }

    /// <summary>Median end-to-end latency.</summary>
    [JsonPropertyName("e2e_ms")] public double? E2eMs { get; init; }

    /// <summary>Mean end-to-end latency (GuideLLM's mean request latency).</summary>
    [JsonPropertyName("e2e_mean_ms")] public double? E2eMeanMs { get; init; }

    /// <summary>Output tokens per second over the measurement window.</summary>
    [JsonPropertyName("output_tokens_per_s")] public double? OutputTokensPerSecond { get; init; }

    /// <summary>
    /// Prompt tokens per second over the measurement window: the output rate scaled by the measured requests' prompt to
    /// output tokens (what vllm bench serve, SGLang's bench_serving and trtllm-bench print as input token throughput).
    /// </summary>
    [JsonPropertyName("input_tokens_per_s")] public double? InputTokensPerSecond { get; init; }

    /// <summary>Prompt and output tokens per second (the total token throughput those benchmarks print).</summary>
    [JsonPropertyName("total_tokens_per_s")] public double? TotalTokensPerSecond { get; init; }

    /// <summary>Finished requests per second over the measurement window.</summary>
    [JsonPropertyName("requests_per_s")] public double? RequestsPerSecond { get; init; }

    /// <summary>Preemptions during the run.</summary>
    [JsonPropertyName("preemptions")] public long Preemptions { get; init; }

    /// <summary>
    /// Requests whose whole prompt waited for running ones to finish: without chunked prefill a prompt runs in one step,
    /// and the step's token budget held it only beside fewer running requests (<see cref="Scheduling.Scheduler.NumPromptsHeldForRoom"/>).
    /// </summary>
    [JsonPropertyName("prompts_held_for_room")] public long PromptsHeldForRoom { get; init; }

    /// <summary>Simulated seconds the run covered.</summary>
    [JsonPropertyName("simulated_seconds")] public double SimulatedSeconds { get; init; }

    /// <summary>Wall-clock seconds the estimate took.</summary>
    [JsonPropertyName("wall_seconds")] public double WallSeconds { get; init; }
}
