using System.CommandLine;
using DisaggServing.Cli.Output;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg manifests</c>: preflight, then the topology's EKS manifests written atomically to <c>--output</c>.
/// Refuses (exit 1, nothing written) when preflight finds errors.
/// </summary>
internal sealed class ManifestsCommand : Command
{
    private readonly CliContext context;
    private readonly TopologyOption topology = new();
    private readonly Option<string> output = CliOptions.Required(new Option<string>("--output") { Description = "Directory to write; replaced whole (it must be new, empty or an earlier output).", HelpName = "DIR" });

    public ManifestsCommand(CliContext context)
        : base("manifests", "Write a topology's EKS manifests (NodePools, Deployments/LeaderWorkerSets, Services, kustomization.yaml) after preflight.")
    {
        this.context = context;
        topology.AddTo(this);
        Add(output);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var spec = topology.Build(parse);
        var result = ManifestWriter.Publish(spec, parse.GetValue(output)!);
        foreach (var finding in result.Preflight.Findings) context.Stderr.WriteLine(finding.ToString());
        if (!result.Written)
        {
            return CliApp.Fail(context.Stderr, $"preflight found {result.Preflight.Errors.Count()} error(s) in topology '{spec.Name}'; nothing written.", ExitCodes.DoesNotFit);
        }

        context.Stdout.WriteLine($"Wrote {result.Files.Count} files for topology '{spec.Name}' to {result.Directory}:");
        var set = ManifestBuilder.Build(spec);
        foreach (var file in set.Files) context.Stdout.WriteLine($"  {file.Name,-24} {file.Purpose}");
        context.Stdout.WriteLine($"Apply with: kubectl apply -k {result.Directory}");
        return ExitCodes.Ok;
    }
}
