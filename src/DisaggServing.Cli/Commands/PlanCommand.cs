using System.CommandLine;
using System.Globalization;
using DisaggServing.Cli.Output;
using DisaggServing.Cli.Plan;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Planning;
using DisaggServing.Engine.Workloads;
using DisaggServing.Topology.Files;
using DisaggServing.Topology.Planning;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg plan</c>: the cheapest cluster (GPU/instance type × TP × P/D split or colocated × replicas) that serves
/// a workload at a rate within an SLO, priced per instance-hour; optionally written as a topology file the AppHost
/// runs and publishes, and as a cost/goodput chart.
/// </summary>
internal sealed class PlanCommand : Command
{
    private static readonly string[] DefaultGpus = ["h100-sxm", "h200-sxm"];

    private readonly CliContext context;
    private readonly Option<ModelSpec> model = CliOptions.Required(CliOptions.Parsed("--model", "Model, by Hugging Face id or alias (case-insensitive), or the path of a Hugging Face config.json or checkpoint directory.", "ID|PATH", id => ModelCatalog.Get(id, "--model")));
    private readonly Option<WorkloadSpec> workload = CliOptions.Required(CliOptions.Parsed("--workload",
        "Request lengths: fixed:ISL:OSL, uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX or sharegpt (arrivals are Poisson at --rate).", "fixed:ISL:OSL|uniform:MIN-MAX:MIN-MAX|sharegpt", WorkloadSpec.Parse));
    private readonly Option<double?> rate = CliOptions.Required(CliOptions.PositiveDouble("--rate", "Requests per second to serve.", helpName: "R"));
    private readonly Option<double?> sloTtft = CliOptions.PositiveDouble("--slo-ttft-ms", "SLO bound on time to first token, ms.", helpName: "MS");
    private readonly Option<double?> sloTpot = CliOptions.PositiveDouble("--slo-tpot-ms", "SLO bound on time per output token, ms.", helpName: "MS");
    private readonly Option<GpuSpec[]?> gpus = CliOptions.Parsed<GpuSpec[]?>("--gpus",
        $"GPU types to search, comma-separated, each on its catalog instance type [default: {string.Join(',', DefaultGpus)}].", "ID,ID",
        text => List(text).Select(id => GpuCatalog.Get(id, "--gpus")).ToArray());
    private readonly Option<InstanceTypeSpec[]?> instanceTypes = CliOptions.Parsed<InstanceTypeSpec[]?>("--instance-types",
        $"Instance types to search, comma-separated (instead of --gpus): {string.Join(", ", InstanceCatalog.All.Keys)}.", "ID,ID",
        text => List(text).Select(id => InstanceCatalog.Get(id, "--instance-types")).ToArray());
    private readonly Option<int> maxGpus = CliOptions.PositiveInt("--max-gpus", "Most GPUs a candidate may use.", 64);
    private readonly EngineProfileOption engine = new(
        "Profile file written by 'disagg calibrate --fit': fitted constants for the candidates on its GPU (of --engine); the topology --out writes carries it.");
    private readonly Option<string?> dtype = CliOptions.FormatOption("--dtype", "Weight format [default: the checkpoint's: fp8, fp4, mxfp4, int8 or int4 for a quantized one, else bf16].", "auto|fp8|fp4|mxfp4|int8|int4|bf16");
    private readonly Option<string?> kvCacheDtype = CliOptions.FormatOption("--kv-cache-dtype", "KV-cache format [default: as --dtype].", "auto|fp8|bf16");
    private readonly Option<string> region = new("--region")
    {
        Description = $"Region of the on-demand prices: {string.Join(", ", InstanceCatalog.PricedRegions)}.",
        DefaultValueFactory = _ => InstanceCatalog.DefaultRegion,
        HelpName = "REGION",
    };
    private readonly Option<IReadOnlyDictionary<string, double>?> prices = CliOptions.Parsed<IReadOnlyDictionary<string, double>?>("--prices",
        "JSON file of $/hour by instance type (reserved, spot…), overriding the on-demand catalog, e.g. {\"p5.48xlarge\": 31.46}.", "FILE", PriceFile.Read);
    private readonly Option<int> requests = CliOptions.PositiveInt("--requests", "Requests each configuration is simulated with.", 1000);
    private readonly Option<int> seed = new("--seed") { Description = "Seed of arrivals and lengths.", DefaultValueFactory = _ => 1, HelpName = "S" };
    private readonly SpeculativeOptions speculation = new();
    private readonly Option<double?> targetAttainment = CliOptions.PositiveDouble("--target-attainment",
        "Fraction of requests that must meet the SLO [default: 0.9].", max: 1, helpName: "F");
    private readonly Option<double> headroom = new("--headroom")
    {
        Description = "Margin above --rate the plan is sized for, as a fraction (0.1 = 10%), so it holds on other samples of the traffic.",
        DefaultValueFactory = _ => 0.1,
        HelpName = "F",
    };
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the plan as JSON.");
    private readonly Option<string?> output = new("--out")
    {
        Description = "Write the best candidate as a topology file (.json or .yaml) for the AppHost (--Topology:File=FILE) and disagg simulate --topology FILE.",
        HelpName = "FILE",
    };
    private readonly Option<string?> name = new("--name") { Description = "Name (and namespace) of the topology --out writes [default: plan].", HelpName = "NAME" };
    private readonly Option<string?> plot = CliOptions.Parsed<string?>(PlanPlot.Option, "Write a cost/goodput Pareto chart: FILE.png or FILE.html.", "FILE", PlanPlot.Parse);

    public PlanCommand(CliContext context)
        : base("plan", "Find the cheapest GPU type, TP, P/D split (or colocated) and replica count that serves a workload at a rate within an SLO.")
    {
        this.context = context;
        foreach (var option in new Option[] { model, workload, rate, sloTtft, sloTpot, gpus, instanceTypes, maxGpus, dtype, kvCacheDtype,
                     region, prices, requests, seed, targetAttainment, headroom, json, output, name, plot })
        {
            Add(option);
        }

        engine.AddTo(this);
        speculation.AddTo(this, withDraftModel: true);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var request = BuildRequest(parse, out var fitted);
        if (engine.NimByNameNote(parse, model) is { } nim) context.Stderr.WriteLine(nim);
        var result = ProgressDisplay.Run(context, "planning", progress => Planner.Plan(request, progress));
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{request.Model.Id} ({request.WeightDtype.Name()}) on {request.Engine.Name}{(request.Speculative is { } s ? $" ({s})" : "")}, {request.Workload} at {request.Rate} req/s (+{request.Headroom:P0}), SLO {request.Slo}, {request.TargetAttainment:P0} attainment");

        if (parse.GetValue(json)) context.Stdout.WriteLine(result.ToJson());
        else PlanTable.Write(context.Stdout, result, title);

        if (parse.GetResult(plot) is not null && parse.GetValue(plot) is { } plotPath) PlanPlot.Write(plotPath, result, request.Rate, title);
        if (result.Best is not { } best)
        {
            context.Stderr.WriteLine("No candidate meets the SLO at this rate within --max-gpus; raise --max-gpus, add GPU types, or relax the SLO." +
                (parse.GetValue(output) is not null ? " Nothing was written to --out." : ""));
            return ExitCodes.NoPlan;
        }

        if (parse.GetValue(output) is { } path)
        {
            var topology = PlanTopology.Build(best, request, parse.GetValue(name) ?? "plan");
            // The fitted constants travel with the topology when it runs on the profile's GPU (simulate, local Workers).
            if (fitted is { } f && string.Equals(f.Gpu.Id, best.Gpu, StringComparison.OrdinalIgnoreCase))
                topology.Local.Profile = Path.GetFullPath(f.Path);
            try
            {
                TopologyFile.Write(topology, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"--out {path}: cannot write the file: {e.Message}", e);
            }

            if (request.Engine.Engine != ServingEngine.Vllm)
                context.Stderr.WriteLine($"note: the topology's pods run vLLM; it was planned for {request.Engine.Name} and carries Engine:ServingEngine={request.Engine.Name}, so simulating it models {request.Engine.Name} (preflight warns).");
            context.Stderr.WriteLine($"Wrote {path}: run it with `dotnet run --project DisaggServing.AppHost -- --Topology:File={path}`, simulate it with `disagg simulate --topology {path} --workload {request.Workload} --rate {request.Rate.ToString(CultureInfo.InvariantCulture)} --requests {request.Requests}`.");
        }

        return ExitCodes.Ok;
    }

    private PlanRequest BuildRequest(ParseResult parse, out (GpuSpec Gpu, PerformanceConstants Constants, string Path)? fitted)
    {
        // Checked before the search: the topology --out writes has vLLM load the EAGLE head.
        var speculative = speculation.Resolve(parse);
        if (parse.GetValue(output) is not null && speculative is { Method: SpeculativeMethod.Eagle or SpeculativeMethod.Eagle3 } eagle
            && string.IsNullOrWhiteSpace(parse.GetValue(speculation.DraftModel)))
            throw new InputException($"--speculative-method {SpeculativeDecoding.Name(eagle.Method)} with --out needs --speculative-model, the draft head's Hugging Face id that the topology's vLLM loads (e.g. yuhuili/EAGLE3-LLaMA3.1-Instruct-8B).");
        var serving = engine.Resolve(parse);
        fitted = engine.Fitted(parse, serving);
        var byGpu = parse.GetResult(gpus) is null ? null : parse.GetValue(gpus);
        var byInstance = parse.GetResult(instanceTypes) is null ? null : parse.GetValue(instanceTypes);
        if (byGpu is not null && byInstance is not null)
            throw new InputException("Give --gpus or --instance-types, not both: an instance type already names its GPU.");
        var instances = byInstance ?? (byGpu ?? DefaultGpus.Select(id => GpuCatalog.Get(id, "--gpus")).ToArray()).Select(InstanceCatalog.ForGpu).ToArray();
        var priceBook = new Dictionary<string, double>(InstanceCatalog.OnDemandUsdPerHour(parse.GetRequiredValue(region)), StringComparer.OrdinalIgnoreCase);
        foreach (var (id, price) in (parse.GetResult(prices) is null ? null : parse.GetValue(prices)) ?? new Dictionary<string, double>()) priceBook[id] = price;
        return new PlanRequest
        {
            Model = parse.GetRequiredValue(model),
            InstanceTypes = instances.DistinctBy(i => i.Id).ToList(),
            Workload = parse.GetRequiredValue(workload),
            Rate = parse.GetValue(rate)!.Value,
            Slo = new SloSpec(parse.GetValue(sloTtft), parse.GetValue(sloTpot)),
            UsdPerHour = priceBook,
            MaxGpus = parse.GetValue(maxGpus),
            WeightDtype = DTypes.ForCheckpoint(parse.GetRequiredValue(model), CliOptions.Format(parse, dtype)),
            KvCacheDtype = CliOptions.Format(parse, kvCacheDtype),
            Requests = parse.GetValue(requests),
            Seed = parse.GetValue(seed),
            TargetAttainment = parse.GetValue(targetAttainment) ?? 0.9,
            Headroom = parse.GetValue(headroom),
            Engine = serving,
            Nim = engine.NamesNim(parse, model),
            Release = engine.Release(parse, model),
            Speculative = speculative,
            SpeculativeDraftModel = parse.GetValue(speculation.DraftModel),
            Constants = fitted is { } f
                ? new Dictionary<string, PerformanceConstants>(StringComparer.OrdinalIgnoreCase) { [f.Gpu.Id] = f.Constants }
                : new Dictionary<string, PerformanceConstants>(),
        }.Validate();
    }

    private static string[] List(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items : throw new InputException("give at least one id, comma-separated.");
    }
}
