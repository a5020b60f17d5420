using System.CommandLine;
using DisaggServing.Cli.Output;
using DisaggServing.Topology;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Cli.Commands;

/// <summary><c>disagg preflight</c>: every preflight finding of a topology, one per line. Exits 1 when any is an error.</summary>
internal sealed class PreflightCommand : Command
{
    private readonly CliContext context;
    private readonly TopologyOption topology = new();
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the findings as JSON.");

    public PreflightCommand(CliContext context)
        : base("preflight", "Check a topology before publishing: memory fit, placement, NIXL pairing, EFA, zones, NodePools. Exits 1 on errors.")
    {
        this.context = context;
        topology.AddTo(this);
        Add(json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var spec = topology.Build(parse);
        var report = TopologyPreflight.Run(spec);
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(PreflightJson.Of(spec, report)));
        else PreflightText.Write(context.Stdout, spec, report);
        return report.HasErrors ? ExitCodes.DoesNotFit : ExitCodes.Ok;
    }
}
