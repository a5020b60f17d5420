using System.CommandLine;
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
    private readonly Option<string[]> fit = new("--fit")
    {
        Description = "Fit this GPU/engine's constants to measured runs (closed loop, fixed lengths) and write a profile file: 'disagg bench --json' reports, " +
            "or scrapes of a vLLM server's /metrics (BEFORE AFTER pairs per run, or one scrape of a server that served only the run).",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<GpuSpec?> gpu = CliOptions.Parsed<GpuSpec?>("--gpu", "With --fit: the GPU the reports were measured on.", "ID", id => GpuCatalog.Get(id, "--gpu"));
    private readonly Option<int> tp = CliOptions.PositiveInt("--tp", "With --fit: the tensor-parallel size measured.", 1);
    private readonly Option<DType?> dtype = CliOptions.Parsed<DType?>("--dtype", "With --fit: the weight format measured [default: bf16].", "fp8|fp4|bf16", text => DTypes.Parse(text, "--dtype"));
    private readonly Option<string?> model = new("--model")
    {
        Description = "With --fit scrapes: the model served, by catalog id [default: the scrape's model_name].",
        HelpName = "ID",
    };
    private readonly Option<int?> concurrency = CliOptions.OptionalPositiveInt("--concurrency",
        "With --fit scrapes: requests the client kept in flight [default: Little's law, the requests' summed latency over the run's duration].");
    private readonly Option<double?> duration = CliOptions.PositiveDouble("--duration",
        "With --fit scrapes: seconds the run took, for throughput [default: the samples' timestamps, else the files' modification times].", helpName: "S");
    private readonly EngineProfileOption profile = new();
    private readonly Option<string?> output = new("--out") { Description = "With --fit: where to write the profile [default: profile-GPU-ENGINE.json].", HelpName = "FILE" };

    public CalibrateCommand(CliContext context)
        : base("calibrate", "Compare the performance model with the published benchmark figures it is calibrated against.")
    {
        this.context = context;
        Add(markdown);
        Add(json);
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
        var args = point.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
        var estimate = new EstimateCommand(context);
        var parse = estimate.Parse(args);
        if (parse.Errors.Count > 0)
            throw new InvalidOperationException($"'{point.Command}' does not parse: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        var options = estimate.BuildOptions(parse);
        if (options != point.Options)
            throw new InvalidOperationException($"'{point.Command}' does not give the options of '{point.Setup}'.");
        return options;
    }

    private int Execute(ParseResult parse)
    {
        if (parse.GetValue(fit) is { Length: > 0 } files) return Fit(parse, files);
        var rows = ProgressDisplay.Run(context, "calibrating", progress => CalibrationRunner.Run(progress, Parse));
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(CalibrationTable.ToJson(rows)));
        else if (parse.GetValue(markdown)) CalibrationTable.WriteMarkdown(context.Stdout, rows);
        else CalibrationTable.Write(context.Stdout, rows);
        return rows.All(r => !r.Point.Checked || r.Point.HeldOut || Math.Abs(r.Error) <= CalibrationRunner.Tolerance) ? ExitCodes.Ok : 1;
    }

    // --fit: measured reports of one GPU/engine → fitted constants, before/after error per point, a profile file.
    private int Fit(ParseResult parse, string[] files)
    {
        var onGpu = parse.GetValue(gpu) ?? throw new InputException("--fit needs --gpu: the GPU the runs were measured on (neither a report nor a scrape says).");
        var engine = profile.Resolve(parse);
        EngineSpec Spec(string modelId)
        {
            var spec = new EngineSpec
            {
                Model = ModelCatalog.Get(modelId, "--model"), Gpu = onGpu, Engine = engine, TensorParallel = parse.GetValue(tp),
                WeightDtype = parse.GetValue(dtype) ?? DType.Bf16,
                MaxNumSeqs = engine.DefaultMaxNumSeqs(onGpu), MaxNumBatchedTokens = engine.DefaultMaxNumBatchedTokens(onGpu),
                EnableChunkedPrefill = engine.ChunkedPrefill,
            };
            return profile.ApplyProfile(parse, spec);
        }

        var scrapes = files.Where(ScrapeMeasurements.IsScrape).ToList();
        var settings = new ScrapeRunSettings(parse.GetValue(model), parse.GetValue(concurrency), parse.GetValue(duration));
        var points = files.Except(scrapes).SelectMany(f => BenchMeasurements.Read(f, Spec)).ToList();
        foreach (var (run, after, before) in ScrapeMeasurements.Runs(scrapes, settings.Model))
            points.AddRange(ScrapeMeasurements.Points(run, settings, Spec, after, before, context.Stdout.WriteLine));
        var start = points[0].Options.Engine.EffectiveConstants;
        var result = ProgressDisplay.Run(context, "fitting", _ => ProfileFitter.Fit(points, start));
        var path = parse.GetValue(output) ?? $"profile-{onGpu.Id}-{engine.Name}.json";
        var file = ProfileFile.From(onGpu, engine.Engine, result.After, string.Join(", ", files.Select(Path.GetFileName)));
        File.WriteAllText(path, file.ToJson());
        ProfileFitTable.Write(context.Stdout, result);
        context.Stdout.WriteLine($"Wrote {path}; pass it as --profile {path} (estimate, simulate, plan) or Topology:Local:Profile.");
        return ExitCodes.Ok;
    }
}
