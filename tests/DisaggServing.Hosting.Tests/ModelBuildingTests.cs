using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace DisaggServing.Hosting.Tests;

public class ModelBuildingTests
{
    private static (IDistributedApplicationBuilder Builder, IResourceBuilder<WorkerPoolResource> Prefill, IResourceBuilder<WorkerPoolResource> Decode, IResourceBuilder<ProjectResource> Router) Topology()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kv = builder.AddKvTransfer<FakeProjects.KvTransfer>();
        var prefill = builder.AddPrefillPool<FakeProjects.Worker>("prefill", new WorkerPoolOptions { Replicas = 2, Tp = 4 }).WithKvTransfer(kv);
        var decode = builder.AddDecodePool<FakeProjects.Worker>("decode", new WorkerPoolOptions { Replicas = 3, Tp = 4 }).WithKvTransfer(kv);
        var router = builder.AddRouter<FakeProjects.Router>().WithPrefill(prefill).WithDecode(decode).WithKvTransfer(kv);
        return (builder, prefill, decode, router);
    }

    [Fact]
    public void Each_replica_is_its_own_resource_under_its_pool()
    {
        var (builder, prefill, decode, _) = Topology();
        var names = builder.Resources.Select(r => r.Name).ToHashSet();
        Assert.Subset(names, new HashSet<string> {"kvtransfer", "prefill", "prefill-0", "prefill-1", "decode", "decode-0", "decode-1", "decode-2", "router" });
        Assert.Equal(2, prefill.Resource.Replicas.Count);
        Assert.All(decode.Resource.Replicas, r =>
            Assert.Contains(r.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), a => a.Resource == decode.Resource && a.Type == "Parent"));
    }

    [Fact]
    public async Task Replicas_get_their_role_engine_id_and_placement_in_the_environment()
    {
        var (_, _, decode, _) = Topology();
        var env = await Environment(decode.Resource.Replicas[2].Resource);
        Assert.Equal("decode", env["Worker__Role"]);
        Assert.Equal("decode-2", env["Worker__EngineId"]);
        Assert.Equal("decode-node-1", env["Worker__Node"]);
        Assert.Equal("0,1,2,3", env["Worker__GpuIndices"]);
        Assert.Equal("4", env["Worker__Tp"]);
    }

    [Fact]
    public async Task Router_knows_every_replica_and_waits_for_them()
    {
        var (_, _, _, router) = Topology();
        var env = await Environment(router.Resource);
        Assert.Contains("Router__Prefill__1", env.Keys);
        Assert.Contains("Router__Decode__2", env.Keys);
        Assert.Contains("Router__KvTransferUrl", env.Keys);
        var waits = router.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
        Assert.Subset(waits, new HashSet<string> {"prefill-0", "prefill-1", "decode-0", "decode-1", "decode-2", "kvtransfer" });
    }

    [Fact]
    public void A_pool_that_does_not_fit_names_the_pool_and_the_fix()
    {
        var builder = DistributedApplication.CreateBuilder();
        var error = Assert.Throws<DistributedApplicationException>(() =>
            builder.AddPrefillPool<FakeProjects.Worker>("glm", new WorkerPoolOptions { Model = "zai-org/GLM-5-FP8", Tp = 8 }));
        Assert.Contains("Worker pool 'glm'", error.Message);
        Assert.Contains("TP=8 PP=2", error.Message);
    }

    [Theory]
    [InlineData("Model", "unknown model")]
    [InlineData("Tp", "does not divide")]
    [InlineData("Replicas", "Replicas must be at least 1")]
    public void Bad_pool_settings_are_rejected_with_the_setting_named(string field, string message)
    {
        var options = field switch
        {
            "Model" => new WorkerPoolOptions { Model = "nope/nope" },
            "Tp" => new WorkerPoolOptions { Tp = 3 },
            _ => new WorkerPoolOptions { Replicas = 0 },
        };
        var error = Assert.Throws<DistributedApplicationException>(() =>
            DistributedApplication.CreateBuilder().AddDecodePool<FakeProjects.Worker>("decode", options));
        Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<Dictionary<string, string>> Environment(IResource resource)
    {
        var env = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), env);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
            await callback.Callback(context);
        return env.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            string s => s,
            IValueProvider => "(endpoint)",
            _ => kv.Value.ToString() ?? "",
        });
    }
}
