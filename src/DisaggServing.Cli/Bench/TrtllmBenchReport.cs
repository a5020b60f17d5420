using System.Text.Json;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// Reads the report <c>trtllm-bench throughput --report_json FILE</c> writes (<c>tensorrt_llm/bench/dataclasses/reporting.py</c>):
/// <c>engine</c> (model, quantization, KV cache dtype), <c>world_info</c> (TP, PP, EP, max batch size and tokens),
/// <c>request_info</c> (requests, mean lengths), <c>performance</c> (<c>system_output_throughput_tok_s</c>,
/// <c>total_latency_ms</c>) and, with <c>--streaming</c>, <c>streaming_metrics</c> (mean TTFT and TPOT). The run is
/// fitted as trtllm-bench runs by default: every request queued at once against the engine's own limits.
/// </summary>
internal static class TrtllmBenchReport
{
    /// <summary>True when <paramref name="root"/> has trtllm-bench's sections.</summary>
    public static bool Recognizes(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && Section(root, "performance") is { } p && p.TryGetProperty("system_output_throughput_tok_s", out _)
        && Section(root, "request_info") is not null;

    /// <summary>Reads one report; throws <see cref="InputException"/> naming <paramref name="source"/> and the field when a needed one is missing.</summary>
    public static ServingBenchRun Parse(JsonElement root, string source)
    {
        var requests = Section(root, "request_info")!.Value;
        var performance = Section(root, "performance")!.Value;
        var world = Section(root, "world_info");
        var engine = Section(root, "engine");
        var streaming = Section(root, "streaming_metrics");
        double Need(JsonElement section, string sectionName, string name) => Number(section, name)
            ?? throw new InputException($"--fit {source}: the trtllm-bench report has no {sectionName}.{name}; give the file --report_json wrote, unedited.");

        var count = (int)Need(requests, "request_info", "num_requests");
        if (count < 1) throw new InputException($"--fit {source}: no request completed, so there is nothing to fit.");
        int? Int(JsonElement? section, string name) => section is { } s && Number(s, name) is { } v && v >= 1 ? (int)v : null;
        return new ServingBenchRun
        {
            Source = source,
            Client = ServingBenchClient.TrtllmBench,
            ModelId = engine is { } e && e.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
            Completed = count,
            Prompts = count,
            MeanInputTokens = Need(requests, "request_info", "avg_input_length"),
            MeanOutputTokens = Need(requests, "request_info", "avg_output_length"),
            DurationSeconds = Need(performance, "performance", "total_latency_ms") / 1e3,
            OutputTokensPerSecond = Need(performance, "performance", "system_output_throughput_tok_s"),
            TtftMeanMs = streaming is { } st ? Number(st, "avg_ttft_ms") : null,
            ItlMeanMs = streaming is { } sm ? Number(sm, "avg_tpot_ms") : null,
            Engine = new RunEngineSettings(
                Int(world, "tp_size"), Int(world, "pp_size"), Int(world, "ep_size"), Int(world, "max_batch_size"), Int(world, "max_num_tokens"),
                Format(engine, "quantization"), Format(engine, "kv_cache_dtype")),
        };
    }

    // TensorRT-LLM's QuantAlgo names: FP8 (and its block-scaled variants), NVFP4, W4A16_MXFP4/W4A8_MXFP4_*; none is BF16/FP16.
    private static DType? Format(JsonElement? engine, string name)
    {
        if (engine is not { } e || !e.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return null;
        var algo = value.GetString()!.ToUpperInvariant();
        return algo.Contains("MXFP4", StringComparison.Ordinal) ? DType.Mxfp4
            : algo.Contains("NVFP4", StringComparison.Ordinal) ? DType.Fp4
            : algo.StartsWith("FP8", StringComparison.Ordinal) ? DType.Fp8
            : null;
    }

    private static JsonElement? Section(JsonElement root, string name) =>
        root.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.Object ? s : null;

    private static double? Number(JsonElement section, string name) =>
        section.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()) ? v.GetDouble() : null;
}
