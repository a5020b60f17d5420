using System.Globalization;
using DisaggServing.Engine;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Bench;

/// <summary>What the user told <c>calibrate --fit</c> about scraped runs that the scrapes cannot tell.</summary>
/// <param name="Model">Catalog id of the model served (<c>--model</c>), else the scrape's <c>model_name</c>.</param>
/// <param name="Concurrency">Requests the client kept in flight (<c>--concurrency</c>), else Little's law over the run.</param>
/// <param name="DurationSeconds">How long the run took (<c>--duration</c>), else the samples' timestamps, else Little's law at a given concurrency, else the files' modification times.</param>
internal sealed record ScrapeRunSettings(string? Model, int? Concurrency, double? DurationSeconds);

/// <summary>
/// Turns scrapes of a vLLM or SGLang server's <c>/metrics</c> into the measured points a profile fit reproduces: for each run (a
/// BEFORE/AFTER pair of files, or one scrape of a server that served only the run), the mean TTFT, mean ITL and,
/// when the run's duration is known, output throughput, at the run's mean lengths and concurrency (closed loop).
/// </summary>
internal static class ScrapeMeasurements
{
    /// <summary>True when <paramref name="path"/> holds a scrape rather than a <c>disagg bench --json</c> report (which starts with '{').</summary>
    public static bool IsScrape(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            int c;
            while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c)) { }
            return c >= 0 && c != '{';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--fit {path}: cannot be read ({e.GetType().Name}); give 'disagg bench --json' reports or /metrics scrapes.");
        }
    }

    /// <summary>The runs of <paramref name="files"/>, each with its files: one scrape alone, else BEFORE/AFTER pairs in the order given.</summary>
    public static IReadOnlyList<(ServerRunMeasurement Run, string After, string? Before)> Runs(IReadOnlyList<string> files, string? model)
    {
        if (files.Count == 0) return [];
        var scrapes = files.Select(PrometheusScrape.Load).ToList();
        if (scrapes.Count == 1) return [(ServerRunMeasurement.Measure(scrapes[0], model: model), files[0], null)];
        if (scrapes.Count % 2 != 0)
            throw new InputException($"--fit got {scrapes.Count} /metrics scrapes; give them in BEFORE AFTER pairs, one pair per run (or a single scrape of a server that served only the run).");
        return [.. Enumerable.Range(0, scrapes.Count / 2).Select(i => (ServerRunMeasurement.Measure(scrapes[2 * i + 1], scrapes[2 * i], model), files[2 * i + 1], (string?)files[2 * i]))];
    }

    /// <summary>
    /// The points of <paramref name="run"/> measured on the engine <paramref name="engine"/> builds for a model id;
    /// <paramref name="afterPath"/>/<paramref name="beforePath"/> give the files' times when nothing else gives the
    /// duration; <paramref name="say"/> receives what was derived and what to watch.
    /// </summary>
    public static IEnumerable<MeasuredPoint> Points(ServerRunMeasurement run, ScrapeRunSettings settings, Func<string, EngineSpec> engine,
        string afterPath, string? beforePath, Action<string> say)
    {
        var modelId = settings.Model ?? run.ModelName
            ?? throw new InputException($"--fit {run.Source}: the scrape names no model (label model_name); pass --model ID.");
        EngineSpec spec;
        try { spec = engine(modelId); }
        catch (InputException e) when (settings.Model is null)
        {
            throw new InputException($"--fit {run.Source}: the served model '{modelId}' is not a catalog id ({e.Message}); pass --model ID with the model it serves.", e);
        }
        if (run.KvCacheDtype is { } kv && kv.StartsWith("fp8", StringComparison.OrdinalIgnoreCase)) spec = spec with { KvCacheDtype = DType.Fp8 };

        var duration = settings.DurationSeconds ?? run.DurationSeconds;
        var from = "--duration";
        if (settings.DurationSeconds is null && run.DurationSeconds is not null) from = "the samples' timestamps";
        // A closed loop keeps --concurrency requests in flight, so the run lasted their summed latency over it.
        if (duration is null && settings.Concurrency is { } inFlight) (duration, from) = (run.E2eSeconds / inFlight, "Little's law at --concurrency");
        if (duration is null && beforePath is not null)
        {
            var seconds = (File.GetLastWriteTimeUtc(afterPath) - File.GetLastWriteTimeUtc(beforePath)).TotalSeconds;
            // Files saved moments apart (or copied) say nothing about the run.
            if (seconds >= 1) (duration, from) = (seconds, "the files' modification times (pass --duration S if they were copied)");
        }
        var concurrency = settings.Concurrency
            ?? (duration is { } d ? Math.Max(1, (int)Math.Round(run.E2eSeconds / d)) : throw new InputException(
                $"--fit {run.Source}: the run's concurrency needs its duration, which the scrape does not carry; pass --concurrency N (the client's in-flight requests) or --duration S."));
        var options = new EstimateOptions
        {
            Engine = spec.Validate(),
            InputTokens = Math.Max(1, (int)Math.Round(run.InputTokens)),
            OutputTokens = Math.Max(1, (int)Math.Round(run.OutputTokens)),
            Concurrency = concurrency,
        };
        options = options with { Admission = options.Engine.Engine.Admission };

        var throughput = duration is { } s ? run.GenerationTokens / s : (double?)null;
        var rate = throughput is { } t
            ? string.Create(CultureInfo.InvariantCulture, $", {t:F0} output tok/s over {duration:F1} s (from {from})")
            : "; no throughput";
        say(string.Create(CultureInfo.InvariantCulture,
            $"{run.Source}: {run.Requests} requests of {options.InputTokens}→{options.OutputTokens} tokens on {modelId}, concurrency {concurrency}{(settings.Concurrency is null ? " (Little's law)" : "")}; TTFT {run.TtftMeanMs:F1} ms, ITL {run.ItlMeanMs:F2} ms{rate}."));
        foreach (var note in run.Notes) say($"note: {run.Source}: {note}");

        var files = beforePath is null ? Path.GetFileName(afterPath) : $"{Path.GetFileName(beforePath)}→{Path.GetFileName(afterPath)}";
        var label = string.Create(CultureInfo.InvariantCulture, $"{files} c={concurrency}");
        yield return new MeasuredPoint(label, CalibrationMetric.TtftMeanMs, run.TtftMeanMs, options);
        yield return new MeasuredPoint(label, CalibrationMetric.ItlMeanMs, run.ItlMeanMs, options);
        if (throughput is { } tps && tps > 0) yield return new MeasuredPoint(label, CalibrationMetric.OutputTokensPerSecond, tps, options);
    }
}
