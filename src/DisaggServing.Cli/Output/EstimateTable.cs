using System.Globalization;
using DisaggServing.Engine.Estimation;
using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>An <see cref="EstimateResult"/> as a two-column table: the setup, memory, then medians and throughput.</summary>
internal static class EstimateTable
{
    public static void Write(TextWriter writer, EstimateResult result)
    {
        var mode = result.RequestRate is { } rate
            ? RateMode(result, rate)
            : result.Concurrency is { } concurrency
            ? string.Create(CultureInfo.InvariantCulture, $"concurrency {concurrency}")
            : result.Mode;
        var table = new Table { Title = new TableTitle($"estimate: {Markup.Escape(result.Model)} on {Markup.Escape(result.Gpu)}") }
            .AddColumn("")
            .AddColumn(new TableColumn("value").RightAligned());
        Row(table, "parallelism", string.Create(CultureInfo.InvariantCulture, $"TP {result.Tp} x PP {result.Pp}"));
        Row(table, "dtype / KV cache", $"{result.Dtype} / {result.KvCacheDtype}");
        if (result.Speculative is { } speculative) Row(table, "speculative decoding", speculative);
        var measured = result.Measure == "all" ? ", all measured"
            : result.MeasuredUntilSeconds is { } until ? $", those ending in perf_analyzer's windows (to {until:0.#} s)" : "";
        Row(table, "load", $"{mode}, {Cells.Format(result.Requests)} requests{measured}");
        if (result.PeakInFlight is { } peak) Row(table, "peak in flight", Cells.Format(peak));
        if (result.Workload is { } workload && !workload.StartsWith("fixed:", StringComparison.Ordinal))
        {
            Row(table, "workload (seed)", string.Create(CultureInfo.InvariantCulture, $"{workload} ({result.Seed})"));
            Row(table, "ISL / OSL mean (tokens)", $"{Cells.Format(result.IslMean, "F1")} / {Cells.Format(result.OslMean, "F1")}");
        }
        else
        {
            Row(table, "ISL / OSL (tokens)", $"{Cells.Format(result.Isl)} / {Cells.Format(result.Osl)}");
        }
        Row(table, "fits", result.Fits ? "yes" : "no");
        Row(table, "weights per GPU (GiB)", Cells.Format(result.WeightsGibPerGpu, "F2"));
        Row(table, "KV cache (tokens)", Cells.Format(result.KvCacheTokens));
        Row(table, "max running requests", Cells.Format(result.MaxRunningRequests));
        Row(table, "TTFT p50 (ms)", Cells.Format(result.TtftMs));
        Row(table, "TTFT mean (ms)", Cells.Format(result.TtftMeanMs));
        Row(table, "ITL p50 (ms)", Cells.Format(result.ItlMs, "F2"));
        Row(table, "ITL mean (ms)", Cells.Format(result.ItlMeanMs, "F2"));
        Row(table, "TPOT p50 (ms)", Cells.Format(result.TpotMs, "F2"));
        Row(table, "E2E p50 (ms)", Cells.Format(result.E2eMs));
        Row(table, "E2E mean (ms)", Cells.Format(result.E2eMeanMs));
        Row(table, "output tokens/s", Cells.Format(result.OutputTokensPerSecond));
        Row(table, "total tokens/s", Cells.Format(result.TotalTokensPerSecond));
        Row(table, "requests/s", Cells.Format(result.RequestsPerSecond, "F2"));
        Row(table, "preemptions", Cells.Format(result.Preemptions));
        if (result.PromptsHeldForRoom > 0) Row(table, "prompts held for room", Cells.Format(result.PromptsHeldForRoom));
        Row(table, "simulated s", Cells.Format(result.SimulatedSeconds, "F2"));
        Row(table, "wall s", Cells.Format(result.WallSeconds, "F2"));
        ConsoleFactory.For(writer).Write(table);
    }

    private static void Row(Table table, string name, string value) => table.AddRow(Cells.Text(name), Cells.Text(value));

    // "rate 2/s, burstiness 0.5, at most 16 in flight": the open loop's setup as vllm bench serve's flags give it.
    private static string RateMode(EstimateResult result, double rate)
    {
        var text = double.IsPositiveInfinity(rate) ? "every request sent at once" : string.Create(CultureInfo.InvariantCulture, $"rate {rate:G4}/s");
        if (result.Burstiness is { } b && b != 1) text += string.Create(CultureInfo.InvariantCulture, $", burstiness {b:G4}");
        if (result.Concurrency is { } cap) text += string.Create(CultureInfo.InvariantCulture, $", at most {cap} in flight");
        return text;
    }
}
