using System.CommandLine;
using System.Text.RegularExpressions;
using DisaggServing.Cli.Output;
using DisaggServing.Engine;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Cli.Bench;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg calibrate</c>: every public figure of the calibration set against the estimate that reproduces it.
/// Each row is estimated from its printed <c>disagg estimate</c> command, parsed as the CLI parses it, so the table
/// is what a user typing those commands gets. Exits 1 when a checked figure of the fit set is off by more than the
/// tolerance (held-out figures are reported, not enforced).
/// </summary>
internal sealed class CalibrateCommand : Command
{
    private readonly CliContext context;
    private readonly Option<bool> markdown = CliOptions.Flag("--markdown", "Print a Markdown table (docs/calibration.md is made with it).");
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the rows as JSON.");
    private readonly Option<bool> statedOnly = CliOptions.Flag("--stated-only",
        "Estimate every row with only what its figure's setup states (model, GPU, parallelism, weight format, engine and release, lengths and load), every derived flag of its command (limits, backends, KV format, memory fraction, measure window, cached prompts, endpoint) left at its default: how far the defaults alone carry; nothing is enforced.");
    private readonly Option<bool> withoutRelease = CliOptions.Flag("--without-release",
        "Estimate every row without its --engine-version, as a user who names only the engine gets it (the engine as it runs today); with --stated-only, its derived flags dropped too; nothing is enforced.");
    private readonly Option<bool> bySource = CliOptions.Flag("--by-source",
        "Print one line per source and metric instead of every row: figures, held out, median |error|, median signed error (above 0: the model predicts more), within ±15%, beyond ±25%, worst; as a table, or with --markdown or --json.");
    private readonly Option<string?> match = new("--match")
    {
        Description = "Only the rows that this regular expression finds, case-insensitive, in their source, setup and command " +
            "joined by ' | ' (e.g. 'InferenceMAX gpt-oss.*H200 TP1 ', 'DeepSeek', '--engine sglang'): one source's, model's or GPU's figures in seconds [default: every row].",
        HelpName = "REGEX",
    };
    private readonly Option<string[]> fit = new("--fit")
    {
        Description = "Fit this GPU/engine's constants to measured runs and write a profile file: 'disagg bench --json' reports, " +
            "'vllm bench serve --save-result' results, 'sglang.bench_serving --output-file' results (JSONL, a run a line), genai-perf/AIPerf profile exports, trtllm-bench --report_json reports, " +
            "or scrapes of a vLLM or SGLang server's /metrics (BEFORE AFTER pairs per run, or one scrape of a server that served only the run).",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<GpuSpec?> gpu = CliOptions.Parsed<GpuSpec?>("--gpu", "With --fit: the GPU the runs were measured on.", "ID", id => GpuCatalog.Get(id, "--gpu"));
    private readonly Option<int> tp = CliOptions.PositiveInt("--tp", "With --fit: the tensor-parallel size measured.", 1);
    private readonly Option<string?> dtype = CliOptions.FormatOption("--dtype", "With --fit: the weight format measured [default: the checkpoint's: fp8, fp4, mxfp4, int8 or int4 for a quantized one, else bf16].", "auto|fp8|fp4|mxfp4|int8|int4|bf16");
    private readonly Option<string?> model = new("--model")
    {
        Description = "With --fit: the model measured, by catalog id or config.json path [default: each report's model, each vLLM result's model_id, each scrape's model_name; SGLang results need it].",
        HelpName = "ID",
    };
    private readonly Option<int[]> concurrency = new("--concurrency")
    {
        Description = "With --fit scrapes: requests the client kept in flight, one value for every run or one per run in order " +
            "[default: Little's law, the requests' summed latency over the run's duration].",
        HelpName = "N",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<double[]> duration = new("--duration")
    {
        Description = "With --fit scrapes: seconds each run took, one value for every run or one per run in order " +
            "[default: the samples' timestamps, else Little's law at --concurrency, else the files' modification times].",
        HelpName = "S",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly EngineProfileOption profile = new();
    private readonly Option<string?> output = new("--out") { Description = "With --fit: where to write the profile [default: profile-GPU-ENGINE.json].", HelpName = "FILE" };

    public CalibrateCommand(CliContext context)
        : base("calibrate", "Compare the performance model with the published benchmark figures it is calibrated against.")
    {
        this.context = context;
        Add(markdown);
        Add(json);
        Add(statedOnly);
        Add(withoutRelease);
        Add(match);
        Add(bySource);
        Add(fit);
        Add(gpu);
        Add(tp);
        Add(dtype);
        Add(model);
        Add(concurrency);
        Add(duration);
        profile.AddTo(this);
        Add(output);
        SetAction(Execute);
    }

    /// <summary>The options <c>disagg estimate</c> builds from <paramref name="point"/>'s command; they must equal the point's own.</summary>
    internal EstimateOptions Parse(CalibrationPoint point)
    {
        var options = Estimate(EstimateArguments(point));
        if (options != point.Options)
            throw new InvalidOperationException($"'{point.Command}' does not give the options of '{point.Setup}'.");
        return options;
    }

    /// <summary>The options <c>disagg estimate</c> builds from <paramref name="point"/>'s command less its derived flags (<see cref="StatedFlags"/>).</summary>
    internal EstimateOptions ParseStated(CalibrationPoint point) => Estimate(StatedFlags.Keep(EstimateArguments(point)));

    /// <summary>The options of <paramref name="point"/>'s command less its release (<see cref="StatedFlags.WithoutRelease"/>), and less its derived flags too when <paramref name="statedOnly"/>.</summary>
    internal EstimateOptions ParseWithoutRelease(CalibrationPoint point, bool statedOnly) =>
        Estimate(StatedFlags.WithoutRelease(statedOnly ? StatedFlags.Keep(EstimateArguments(point)) : EstimateArguments(point)));

    // The command's arguments after "disagg estimate".
    private static string[] EstimateArguments(CalibrationPoint point) => point.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];

    private EstimateOptions Estimate(string[] args)
    {
        var estimate = new EstimateCommand(context);
        var parse = estimate.Parse(args);
        if (parse.Errors.Count > 0)
            throw new InvalidOperationException($"'disagg estimate {string.Join(' ', args)}' does not parse: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        return estimate.BuildOptions(parse);
    }

    private int Execute(ParseResult parse)
    {
        if (parse.GetValue(fit) is { Length: > 0 } files)
        {
            // --match and --by-source choose and summarize published rows; a fit reads measured runs instead.
            if (parse.GetValue(match) is not null || parse.GetValue(bySource) || parse.GetValue(withoutRelease) || parse.GetValue(statedOnly))
                throw new InputException("--match, --by-source, --stated-only and --without-release apply to the published figures' table, not to --fit; run them without --fit.");
            return Fit(parse, files);
        }
        var stated = parse.GetValue(statedOnly);
        var releaseless = parse.GetValue(withoutRelease);
        var points = Matching(parse.GetValue(match));
        Func<CalibrationPoint, EstimateOptions> resolve = releaseless ? p => ParseWithoutRelease(p, stated) : stated ? ParseStated : Parse;
        var rows = ProgressDisplay.Run(context, "calibrating", progress => CalibrationRunner.Run(progress, resolve, points));
        var grouped = parse.GetValue(bySource);
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(grouped ? CalibrationGroupTable.ToJson(rows) : CalibrationTable.ToJson(rows)));
        else if (parse.GetValue(markdown))
        {
            if (grouped) CalibrationGroupTable.WriteMarkdown(context.Stdout, rows);
            else CalibrationTable.WriteMarkdown(context.Stdout, rows);
        }
        else if (grouped) CalibrationGroupTable.Write(context.Stdout, rows);
        else CalibrationTable.Write(context.Stdout, rows);
        return stated || releaseless || rows.All(r => !r.Point.Checked || r.Point.HeldOut || Math.Abs(r.Error) <= CalibrationRunner.Tolerance) ? ExitCodes.Ok : 1;
    }

    // What --match searches for a point: its source, setup and command, joined by " | ", so a pattern may span them.
    private static string Line(CalibrationPoint point) => $"{point.Source} | {point.Setup} | {point.Command}";

    // --match: the points whose line (Line) the pattern finds, in the set's order.
    private static IReadOnlyList<CalibrationPoint> Matching(string? pattern)
    {
        if (pattern is null) return CalibrationSet.Points;
        Regex regex;
        try { regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
        catch (ArgumentException e) { throw new InputException($"--match '{pattern}' is not a regular expression ({e.Message}); escape special characters with \\ or use plain text."); }
        List<CalibrationPoint> points;
        try { points = [.. CalibrationSet.Points.Where(p => regex.IsMatch(Line(p)))]; }
        catch (RegexMatchTimeoutException) { throw new InputException($"--match '{pattern}' takes too long to match; simplify the pattern."); }
        return points.Count > 0 ? points
            : throw new InputException($"--match '{pattern}' finds no row in its source, setup or command; 'disagg calibrate' lists them all.");
    }

    // --fit: measured reports of one GPU/engine → fitted constants, before/after error per point, a profile file.
    private int Fit(ParseResult parse, string[] files)
    {
        var onGpu = parse.GetValue(gpu) ?? throw new InputException("--fit needs --gpu: the GPU the runs were measured on (neither a report nor a scrape says).");
        var engine = profile.Resolve(parse);
        EngineSpec Spec(string modelId)
        {
            var measured = ModelCatalog.Get(modelId, "--model");
            var spec = new EngineSpec
            {
                Model = measured, Gpu = onGpu, Engine = engine, TensorParallel = parse.GetValue(tp),
                WeightDtype = DTypes.ForCheckpoint(measured, CliOptions.Format(parse, dtype)),
                MaxNumSeqs = engine.DefaultMaxNumSeqs(onGpu), MaxNumBatchedTokens = engine.DefaultMaxNumBatchedTokens(onGpu),
                EnableChunkedPrefill = engine.ChunkedPrefill,
                // NIM's runs are its TensorRT engines as its release built them, or from 1.15 its PyTorch backend (ReleaseDefaults.ForNim).
                Nim = profile.NamesNim(parse, model),
            };
            return profile.ApplyProfile(parse, spec.AsReleased(profile.Release(parse, model)));
        }

        var scrapes = files.Where(ScrapeMeasurements.IsScrape).ToList();
        var points = new List<MeasuredPoint>();
        foreach (var json in files.Except(scrapes))
        {
            // Each JSON file is read once: a client's results, else a disagg bench report.
            if (ServingBenchResults.TryRead(json) is { } results)
                foreach (var run in results) points.AddRange(ServingBenchResults.Points(run, parse.GetValue(model), Spec, context.Stdout.WriteLine));
            else points.AddRange(BenchMeasurements.Read(json, id => Spec(parse.GetValue(model) ?? id)));
        }
        var runs = ScrapeMeasurements.Runs(scrapes, parse.GetValue(model));
        var concurrencies = PerRun(parse.GetValue(concurrency), runs.Count, "--concurrency", c => c >= 1);
        var durations = PerRun(parse.GetValue(duration), runs.Count, "--duration", d => d > 0 && double.IsFinite(d));
        for (var i = 0; i < runs.Count; i++)
        {
            var settings = new ScrapeRunSettings(parse.GetValue(model), concurrencies?[i], durations?[i]);
            points.AddRange(ScrapeMeasurements.Points(runs[i].Run, settings, Spec, runs[i].After, runs[i].Before, context.Stdout.WriteLine));
        }
        if (points.Count == 0) throw new InputException("--fit found no measured points in its files.");
        var start = points[0].Options.Engine.EffectiveConstants;
        var result = ProgressDisplay.Run(context, "fitting", _ => ProfileFitter.Fit(points, start));
        var path = parse.GetValue(output) ?? $"profile-{onGpu.Id}-{engine.Name}.json";
        var file = ProfileFile.From(onGpu, engine.Engine, result.After, string.Join(", ", files.Select(Path.GetFileName)));
        File.WriteAllText(path, file.ToJson());
        ProfileFitTable.Write(context.Stdout, result);
        context.Stdout.WriteLine($"Wrote {path}; pass it as --profile {path} (estimate, simulate, plan) or Topology:Local:Profile.");
        return ExitCodes.Ok;
    }

    // One value for every scraped run, or one per run in the order given; null when the option is absent.
    private static T?[]? PerRun<T>(T[]? values, int runs, string option, Func<T, bool> valid)
        where T : struct
    {
        if (values is not { Length: > 0 }) return null;
        foreach (var value in values)
            if (!valid(value)) throw new InputException($"{option} {value} is not valid; give positive numbers.");
        if (runs == 0) throw new InputException($"{option} applies to /metrics scrapes, and --fit got none.");
        if (values.Length != 1 && values.Length != runs)
            throw new InputException($"{option} got {values.Length} values for {runs} scraped runs; give one for all runs or one per run, in the order of the runs.");
        return [.. Enumerable.Range(0, runs).Select(i => (T?)values[values.Length == 1 ? 0 : i])];
    }
}
