using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Aspire.Hosting.Testing;
using DisaggServing.Topology;

namespace DisaggServing.Hosting.Tests;

public class PublishTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // llama70b-pd-karpenter: Karpenter mode (EC2NodeClass), KEDA autoscaling and an ECR registry, through Aspire's publish.
    [Theory]
    [InlineData("llama70b-pd")]
    [InlineData("llama70b-pd-karpenter")]
    public async Task Publishing_the_apphost_writes_the_committed_manifests(string reference)
    {
        var root = Path.Combine(Path.GetTempPath(), "disagg-publish-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(root, reference);
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
                ["--operation", "publish", "--step", "publish", "--output-path", output, $"--Topology:Reference={reference}"]).WaitAsync(Timeout);
            await using var app = await builder.BuildAsync().WaitAsync(Timeout);
            await app.RunAsync().WaitAsync(Timeout); // the pipeline runs, then stops the app

            var golden = Path.Combine(RepoRoot(), "manifests", reference);
            var expected = Directory.GetFiles(golden).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
            foreach (var file in expected)
                Assert.Equal(File.ReadAllText(Path.Combine(golden, file!)).ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(output, file!)));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_eks_environment_is_a_publish_step_and_stays_out_of_a_local_run()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        var run = DistributedApplication.CreateBuilder();
        var local = run.AddEksEnvironment("eks", topology);
        Assert.DoesNotContain(local.Resource, run.Resources);

        var publish = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        var eks = publish.AddEksEnvironment("eks", topology).WithNodeClass(NodeClassKind.Karpenter, "gpu");
        Assert.Contains(eks.Resource, publish.Resources);
        Assert.IsAssignableFrom<IComputeEnvironmentResource>(eks.Resource);
        Assert.Single(eks.Resource.Annotations.OfType<PipelineStepAnnotation>());
        Assert.Equal("publish-eks", eks.Resource.PublishStepName);
        Assert.Equal((NodeClassKind.Karpenter, "gpu"), (topology.Eks.NodeClassKind, topology.Eks.NodeClassName));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DisaggServing.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("DisaggServing.sln not found above " + AppContext.BaseDirectory);
    }
}
