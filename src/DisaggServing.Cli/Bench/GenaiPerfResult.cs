using System.Text.Json;
using DisaggServing.Engine;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// Reads the aggregate file NVIDIA's genai-perf (<c>profile_export_genai_perf.json</c>) and AIPerf
/// (<c>profile_export_aiperf.json</c>) write: each metric an object with its <c>avg</c> (<c>time_to_first_token</c>,
/// <c>inter_token_latency</c>, <c>output_token_throughput</c>, <c>input_sequence_length</c>, <c>output_sequence_length</c>,
/// <c>request_count</c>), and the run's settings under <c>input_config</c> (the load, the model, any
/// <c>warmup_request_count</c>), whose layout differs between versions
/// (genai-perf 24.x flat: <c>concurrency</c>, <c>model</c>; later nested: <c>perf_analyzer.stimulus.concurrency</c>,
/// <c>loadgen.concurrency</c>, <c>endpoint.model_names</c>), so the load and model are looked up by name anywhere in it.
/// </summary>
internal static class GenaiPerfResult
{
    /// <summary>True when <paramref name="root"/> has genai-perf's metric objects.</summary>
    public static bool Recognizes(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && Avg(root, "time_to_first_token") is not null && root.TryGetProperty("output_token_throughput", out _);

    /// <summary>Reads one file's run; throws <see cref="InputException"/> naming <paramref name="source"/> and the field when a needed one is missing.</summary>
    public static ServingBenchRun Parse(JsonElement root, string source)
    {
        double Need(string name) => Avg(root, name)
            ?? throw new InputException($"--fit {source}: the genai-perf result has no '{name}' average; give the profile_export_genai_perf.json (or AIPerf's profile_export_aiperf.json) it wrote, unedited.");

        var count = (int)Math.Round(Avg(root, "request_count") ?? Need("request_throughput") * Need("benchmark_duration"));
        if (count < 1) throw new InputException($"--fit {source}: no request completed, so there is nothing to fit.");
        var config = root.TryGetProperty("input_config", out var c) ? c : default;
        var concurrency = Find(config, "concurrency") is { ValueKind: JsonValueKind.Number } n && n.GetDouble() >= 1 ? (int)n.GetDouble() : (int?)null;
        var rate = Find(config, "request_rate") is { ValueKind: JsonValueKind.Number } r && r.GetDouble() > 0 ? r.GetDouble() : (double?)null;
        if (concurrency is null && rate is null)
            throw new InputException($"--fit {source}: input_config names neither a concurrency nor a request rate; fit from genai-perf runs of --concurrency N or --request-rate R.");
        var throughput = Need("output_token_throughput");
        return new ServingBenchRun
        {
            Source = source,
            Client = ServingBenchClient.GenaiPerf,
            ModelId = Model(config),
            Completed = count,
            Prompts = count,
            MeanInputTokens = Need("input_sequence_length"),
            MeanOutputTokens = Need("output_sequence_length"),
            RequestRate = rate,
            MaxConcurrency = rate is null ? concurrency : null,
            DurationSeconds = Avg(root, "benchmark_duration") ?? count * Need("output_sequence_length") / throughput,
            OutputTokensPerSecond = throughput,
            TtftMeanMs = Avg(root, "time_to_first_token"),
            ItlMeanMs = Avg(root, "inter_token_latency"),
            WarmUpRequests = Find(config, "warmup_request_count") is { ValueKind: JsonValueKind.Number } w && w.GetDouble() >= 1 ? (int)w.GetDouble() : 0,
        };
    }

    private static double? Avg(JsonElement root, string metric) =>
        root.TryGetProperty(metric, out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("avg", out var avg)
        && avg.ValueKind == JsonValueKind.Number && double.IsFinite(avg.GetDouble()) ? avg.GetDouble() : null;

    // genai-perf names the model under "model" (a list) or "model_names"; the first served name is the one measured.
    private static string? Model(JsonElement config)
    {
        foreach (var name in (string[])["model_names", "model"])
            switch (Find(config, name))
            {
                case { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String: return list[0].GetString();
                case { ValueKind: JsonValueKind.String } one: return one.GetString();
            }
        return null;
    }

    // The first property called name, depth first, in element (input_config moves between versions).
    private static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
            if (property.NameEquals(name) && property.Value.ValueKind != JsonValueKind.Null) return property.Value;
        foreach (var property in element.EnumerateObject())
            if (Find(property.Value, name) is { } found) return found;
        return null;
    }
}
