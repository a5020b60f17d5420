using System.CommandLine;
using DisaggServing.Cli.Commands;

namespace DisaggServing.Cli;

/// <summary>The <c>disagg</c> root command and its verbs.</summary>
internal static class CliRoot
{
    public static RootCommand Create(CliContext context) =>
        new("disagg: model disaggregated LLM serving on simulated GPUs; estimate one engine, simulate a cluster, plan the cheapest one for an SLO, check the calibration, check and publish EKS topologies, benchmark a server, list the models and GPUs.")
        {
            new EstimateCommand(context),
            new SimulateCommand(context),
            new PlanCommand(context),
            new CalibrateCommand(context),
            new PreflightCommand(context),
            new ManifestsCommand(context),
            new BenchCommand(context),
            new ModelsCommand(context),
        };
}
