using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using DisaggServing.Engine;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Builder methods for the Amazon EKS compute environment and its publish step.</summary>
public static class EksEnvironmentExtensions
{
    /// <summary>
    /// Adds an EKS compute environment for <paramref name="topology"/>. On publish (<c>aspire publish -o DIR</c>, or
    /// <c>--operation publish --step publish --output-path DIR</c>) its pipeline step, required by Aspire's
    /// <c>publish</c> step, runs preflight and writes the manifests into the pipeline's output directory; a preflight
    /// error fails the step (and the command) and writes nothing. The node class comes from
    /// <see cref="TopologySpec.Eks"/>: EKS Auto Mode (<c>eks.amazonaws.com/NodeClass</c>) unless
    /// <c>Topology:Eks:NodeClassKind=Karpenter</c> or <see cref="WithNodeClass"/> says self-managed Karpenter.
    /// Preflight also runs now, at model-build time. In run mode the environment is not part of the model.
    /// </summary>
    public static IResourceBuilder<EksEnvironmentResource> AddEksEnvironment(this IDistributedApplicationBuilder builder, [ResourceName] string name, TopologySpec topology)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(topology);
        TopologyValidation.Ensure(builder, topology);
        var resource = new EksEnvironmentResource(name, topology);
        if (builder.ExecutionContext.IsRunMode) return builder.CreateResourceBuilder(resource);

        resource.Annotations.Add(new PipelineStepAnnotation(_ => new PipelineStep
        {
            Name = resource.PublishStepName,
            Description = $"Runs preflight and writes the EKS manifests of topology '{topology.Name}'.",
            Action = context => PublishAsync(resource, context),
            DependsOnSteps = [WellKnownPipelineSteps.PublishPrereq],
            RequiredBySteps = [WellKnownPipelineSteps.Publish],
            Resource = resource,
        }));
        return builder.AddResource(resource).ExcludeFromManifest();
    }

    /// <summary>
    /// Chooses who provisions GPU nodes: EKS Auto Mode (<see cref="NodeClassKind.AutoMode"/>, NodeClass
    /// <paramref name="nodeClassName"/>) or self-managed Karpenter (<see cref="NodeClassKind.Karpenter"/>, EC2NodeClass
    /// <paramref name="nodeClassName"/>); empty means Auto Mode's built-in <c>default</c>, or the EC2NodeClass the
    /// topology writes. Overrides <c>Topology:Eks:NodeClassKind</c> and <c>Topology:Eks:NodeClassName</c>.
    /// </summary>
    public static IResourceBuilder<EksEnvironmentResource> WithNodeClass(this IResourceBuilder<EksEnvironmentResource> eks, NodeClassKind kind, string nodeClassName = "")
    {
        ArgumentNullException.ThrowIfNull(eks);
        ArgumentNullException.ThrowIfNull(nodeClassName);
        eks.Resource.Topology.Eks.NodeClassKind = kind;
        eks.Resource.Topology.Eks.NodeClassName = nodeClassName;
        return eks;
    }

    private static async Task PublishAsync(EksEnvironmentResource eks, PipelineStepContext context)
    {
        var topology = eks.Topology;
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        var task = await context.ReportingStep.CreateTaskAsync($"Writing the EKS manifests of topology '{topology.Name}' to {output}", context.CancellationToken).ConfigureAwait(false);
        PublishResult result;
        try
        {
            result = ManifestWriter.Publish(topology, output);
        }
        catch (InputException e)
        {
            await Fail(task, e.Message, context).ConfigureAwait(false);
            throw new DistributedApplicationException(e.Message, e);
        }

        foreach (var warning in result.Preflight.Warnings) context.Logger.LogWarning("{Finding}", warning);
        if (!result.Written)
        {
            var message = TopologyValidation.Describe(topology, result.Preflight);
            await Fail(task, message, context).ConfigureAwait(false);
            throw new DistributedApplicationException(message);
        }

        var written = $"Wrote {result.Files.Count} files to {result.Directory}: {string.Join(", ", result.Files)}";
        context.Logger.LogInformation("{Written}", written);
        await task.SucceedAsync(written, context.CancellationToken).ConfigureAwait(false);
        context.Summary.Add("EKS manifests", result.Directory);
        context.Summary.Add("Apply with", $"kubectl apply -k {result.Directory}");
    }

    private static async Task Fail(IReportingTask task, string message, PipelineStepContext context)
    {
        // Aspire reports a failed step to the aspire CLI, which exits non-zero; a plain `dotnet run --operation publish`
        // would still exit 0, since the host stops normally after logging the failure.
        Environment.ExitCode = 1;
        await task.FailAsync(message, context.CancellationToken).ConfigureAwait(false);
    }
}
