using System.CommandLine;
using System.Globalization;
using DisaggServing.Cli.Output;
using DisaggServing.Engine;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Topology;
using DisaggServing.Topology.Files;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg simulate</c>: a disaggregated (<c>--prefill</c> + <c>--decode</c>) or colocated cluster under a workload,
/// at a Poisson rate or a trace's own times, or the goodput search (<c>--find-goodput</c>) for the highest rate
/// that meets the SLO.
/// </summary>
internal sealed class SimulateCommand : Command
{
    private readonly CliContext context;
    private readonly EngineOptions engine = new();
    private readonly Option<string?> prefill = Pool("--prefill", "Prefill pool: replicas:TP (disaggregated; needs --decode).");
    private readonly Option<string?> decode = Pool("--decode", "Decode pool: replicas:TP (disaggregated; needs --prefill).");
    private readonly Option<string?> colocated = Pool("--colocated", "One pool that prefills and decodes: replicas:TP.");
    private readonly Option<WorkloadSpec> workload = CliOptions.Required(CliOptions.Parsed("--workload",
        $"Requests: {WorkloadSpec.AcceptedForms}.", "fixed:ISL:OSL|uniform:MIN-MAX:MIN-MAX|sharegpt|trace:FILE|prefix:N:PREFIX:SUFFIX:OSL", WorkloadSpec.Parse));
    private readonly Option<double?> rate = CliOptions.PositiveDouble("--rate",
        "Poisson arrival rate, requests per second (required unless the workload is a trace).", helpName: "R");
    private readonly Option<int?> requests = CliOptions.OptionalPositiveInt("--requests",
        "Requests to simulate (required unless the workload is a trace; caps a trace).");
    private readonly Option<double?> sloTtft = CliOptions.PositiveDouble("--slo-ttft-ms", "SLO bound on time to first token, ms.", helpName: "MS");
    private readonly Option<double?> sloTpot = CliOptions.PositiveDouble("--slo-tpot-ms", "SLO bound on time per output token, ms.", helpName: "MS");
    private readonly Option<bool> findGoodput = CliOptions.Flag("--find-goodput",
        "Search the highest Poisson rate at which --target-attainment of requests meet the SLO (ignores --rate).");
    private readonly Option<double?> targetAttainment = CliOptions.PositiveDouble("--target-attainment",
        "Fraction of requests that must meet the SLO in the goodput search [default: 0.9].", max: 1, helpName: "F");
    private readonly Option<int> seed = new("--seed") { Description = "Seed of arrivals and lengths.", DefaultValueFactory = _ => 0, HelpName = "S" };
    private readonly Option<RoutingProfiles?> routing = CliOptions.Parsed<RoutingProfiles?>("--routing",
        "The router's scheduling profiles: prefix-aware (the router's defaults: prefix-cache and least-load scorers), least-load (load only) or round-robin [default: prefix-aware, or the topology's scorer weights].",
        string.Join('|', RoutingProfiles.Names), ParseRouting);
    private readonly Option<AdmissionPolicy?> admission = AdmissionOption.Create();
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the report as JSON.");
    private readonly Option<TopologySpec?> topology = CliOptions.Parsed<TopologySpec?>("--topology",
        $"Simulate a topology: a JSON/YAML file (as the AppHost reads with --Topology:File=FILE, and plan --out writes) or a reference topology ({string.Join(", ", ReferenceTopologies.Names)}); replaces --model, --gpu and the pools.",
        "FILE|NAME", TopologyOption.Load);

    public SimulateCommand(CliContext context)
        : base("simulate", "Simulate a prefill/decode or colocated cluster under a workload and report latency percentiles and goodput.")
    {
        this.context = context;
        engine.AddTo(this, prefill, decode, colocated);
        // Required unless --topology names the cluster (checked in BuildCluster).
        engine.Model.Required = false;
        engine.Gpu.Required = false;
        foreach (var option in new Option[] { topology, workload, rate, requests, sloTtft, sloTpot, findGoodput,
                     targetAttainment, seed, routing, admission, json })
        {
            Add(option);
        }

        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var cluster = BuildCluster(parse);
        if (parse.GetValue(topology) is null && engine.Weights(parse).Note is { } note) context.Stderr.WriteLine(note);
        if (parse.GetValue(topology) is null && engine.NimNote(parse) is { } nim) context.Stderr.WriteLine(nim);
        var spec = parse.GetRequiredValue(workload);
        foreach (var model in new[] { cluster.Prefill, cluster.Decode, cluster.Colocated }.OfType<PoolSpec>().Select(p => p.Engine.Model).DistinctBy(m => m.Id))
            if (RunNotes.ContextExceeded(model, spec.LongestRequestTokens) is { } tooLong)
                context.Stderr.WriteLine(tooLong);
        var slo = new SloSpec(parse.GetValue(sloTtft), parse.GetValue(sloTpot));
        var count = parse.GetValue(requests);
        var perSecond = parse.GetValue(rate);
        var seedValue = parse.GetValue(seed);

        SimulationReport report;
        string load;
        if (parse.GetValue(findGoodput))
        {
            var probeRequests = CheckGoodputSearch(spec, slo, count, perSecond);
            var target = parse.GetValue(targetAttainment) ?? 0.9;
            report = ProgressDisplay.Run(context, "searching goodput",
                progress => context.Engine.FindGoodput(cluster, spec, probeRequests, seedValue, slo, target, progress));
            load = "goodput search";
        }
        else
        {
            var arrivals = Generate(spec, count, perSecond, seedValue);
            report = ProgressDisplay.Run(context, "simulating", progress => context.Engine.Simulate(cluster, arrivals, slo, progress));
            load = perSecond is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r} req/s") : "trace arrivals";
        }

        if (parse.GetValue(json))
        {
            context.Stdout.WriteLine(report.ToJson());
        }
        else
        {
            SimulationTable.Write(context.Stdout, report, $"{Describe(cluster)}; {spec}, {load}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The cluster from a parse; pool and mode errors throw an <see cref="InputException"/> naming the option.</summary>
    private ClusterSpec BuildCluster(ParseResult parse)
    {
        if (parse.GetValue(topology) is { } spec)
        {
            var conflicting = new Option[] { engine.Model, engine.Gpu, prefill, decode, colocated, engine.Speculation.Method, engine.Speculation.Tokens, engine.Speculation.AcceptanceLength }
                .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (conflicting.Count > 0)
                throw new InputException($"--topology sets the model, GPUs and pools (a pool's speculative decoding is its Speculation); leave out {string.Join(", ", conflicting)}.");
            // --engine, --profile and --engine-version override the topology's own (Engine:ServingEngine, Local:Profile, Engine:VllmVersion).
            var fromTopology = TopologyCluster.From(ResolvedTopology.Resolve(spec), parse.GetValue(engine.Profile.Engine), parse.GetValue(engine.Profile.Profile), engine.Profile.Release(parse));
            return fromTopology with
            {
                Routing = parse.GetValue(routing) ?? fromTopology.Routing,
                Admission = parse.GetValue(admission) ?? fromTopology.Admission,
            };
        }

        foreach (var required in new Option[] { engine.Model, engine.Gpu })
            if (parse.GetResult(required) is null)
                throw new InputException($"{required.Name} is required (or give --topology FILE).");
        // TP comes from each pool's N:TP; the base engine carries everything else.
        var baseEngine = engine.Build(parse, tensorParallel: 1);
        PoolSpec? Pool(Option<string?> option)
        {
            // PoolSpec names the pool in its errors (the engine's own validation speaks of --tp).
            return parse.GetValue(option) is { } text ? PoolSpec.Parse(text, baseEngine, option.Name) : null;
        }

        return new ClusterSpec
        {
            Prefill = Pool(prefill),
            Decode = Pool(decode),
            Colocated = Pool(colocated),
            Routing = parse.GetValue(routing) ?? RoutingProfiles.PrefixAware,
            Admission = parse.GetValue(admission) ?? baseEngine.Engine.Admission,
        }.Validate();
    }

    private static WorkloadRequest[] Generate(WorkloadSpec spec, int? count, double? perSecond, int seed)
    {
        if (spec.Kind == WorkloadKind.Trace)
        {
            if (perSecond is not null)
                throw new InputException($"--rate does not apply to --workload {spec}: a trace replays its own arrival times; leave out --rate.");
            return spec.Generate(count ?? int.MaxValue, null, seed);
        }

        if (perSecond is null)
            throw new InputException($"--rate R (requests per second) is required with --workload {spec}; only trace:FILE carries its own arrival times.");
        if (count is null)
            throw new InputException($"--requests N is required with --workload {spec}.");
        return spec.Generate(count.Value, perSecond, seed);
    }

    private int CheckGoodputSearch(WorkloadSpec spec, SloSpec slo, int? count, double? perSecond)
    {
        if (spec.Kind == WorkloadKind.Trace)
            throw new InputException("--find-goodput searches Poisson arrival rates, so --workload must be fixed:ISL:OSL or sharegpt, not a trace.");
        if (slo.TtftMs is null && slo.TpotMs is null)
            throw new InputException("--find-goodput needs an SLO: give --slo-ttft-ms and/or --slo-tpot-ms.");
        if (count is not { } probeRequests)
            throw new InputException("--find-goodput needs --requests N: the requests of each probe run.");
        if (perSecond is not null)
            context.Stderr.WriteLine("note: --rate is ignored with --find-goodput, which searches for the rate.");
        return probeRequests;
    }

    private static RoutingProfiles? ParseRouting(string text) =>
        RoutingProfiles.TryGet(text, out var profiles)
            ? profiles
            : throw new InputException($"--routing '{text}' is not a routing choice; use one of: {string.Join(", ", RoutingProfiles.Names)}.");

    private static string Describe(ClusterSpec cluster)
    {
        static string Pool(string role, PoolSpec pool) => string.Create(CultureInfo.InvariantCulture,
            $"{role} {pool.Replicas}x TP{pool.Engine.TensorParallel}{(pool.Engine.PipelineParallel > 1 ? $" PP{pool.Engine.PipelineParallel}" : "")}");

        var any = cluster.Prefill ?? cluster.Colocated!;
        var pools = cluster.IsDisaggregated
            ? $"{Pool("prefill", cluster.Prefill!)} + {Pool("decode", cluster.Decode!)}"
            : Pool("colocated", cluster.Colocated!);
        return $"{any.Engine.Model.Id} on {any.Engine.Gpu.Id}, {pools}";
    }

    private static Option<string?> Pool(string name, string description) => new(name) { Description = description, HelpName = "N:TP" };
}
