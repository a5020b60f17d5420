using System.Reflection;
using System.Xml.Linq;
using DisaggServing.Topology.Manifests;
using k8s.Models;

namespace DisaggServing.Topology.Tests;

/// <summary>The router and KV-transfer service as deployed: our images, their environment contracts, secrets, hardening and drain.</summary>
public class ControlPlaneTests
{
    private static ManifestContext Context(TopologySpec spec) => new(spec);

    private static V1Container Container(V1Deployment deployment) => Assert.Single(deployment.Spec.Template.Spec.Containers);

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void The_router_and_kv_transfer_run_as_non_root_on_a_read_only_root_without_a_service_account_token()
    {
        var context = Context(ReferenceTopologies.Get("llama70b-pd"));
        foreach (var deployment in new[] { ControlPlaneBuilder.RouterDeployment(context), ControlPlaneBuilder.KvTransferDeployment(context) })
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.False(pod.AutomountServiceAccountToken);
            Assert.Equal((true, 1654L, 1654L, "RuntimeDefault"), (pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup, pod.SecurityContext.SeccompProfile.Type));
            var container = Container(deployment);
            Assert.Equal((true, false), (container.SecurityContext.ReadOnlyRootFilesystem, container.SecurityContext.AllowPrivilegeEscalation));
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            var tmp = Assert.Single(container.VolumeMounts);
            Assert.Equal(("tmp", "/tmp"), (tmp.Name, tmp.MountPath));
            Assert.NotNull(Assert.Single(pod.Volumes).EmptyDir);
            var terms = pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions;
            Assert.Contains(terms, t => t.Key == "kubernetes.io/arch" && t.Values.SequenceEqual(["amd64"]));
        }
    }

    [Fact]
    public void The_router_drains_stops_receiving_first_then_finishes_in_flight_requests()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Router.PreStopSeconds = 20;
        spec.Router.DrainSeconds = 120;
        var router = ControlPlaneBuilder.RouterDeployment(Context(spec));
        Assert.Equal(20L, Container(router).Lifecycle.PreStop.Sleep.Seconds); // no shell in the chiseled image: the kubelet's sleep action
        Assert.Equal(140L, router.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("120", Container(router).Env.Single(e => e.Name == RouterEnvironment.ShutdownTimeoutSeconds).Value);
    }

    [Fact]
    public void Api_keys_come_from_secrets_never_as_values()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        var env = Container(ControlPlaneBuilder.RouterDeployment(Context(spec))).Env.ToDictionary(e => e.Name);
        var clients = env[RouterEnvironment.ApiKeys];
        Assert.Null(clients.Value);
        Assert.Equal(("router-api-keys", "api-keys", false), (clients.ValueFrom.SecretKeyRef.Name, clients.ValueFrom.SecretKeyRef.Key, clients.ValueFrom.SecretKeyRef.Optional));
        var upstream = env[RouterEnvironment.WorkerApiKey];
        Assert.Null(upstream.Value);
        Assert.Equal(("vllm-api-key", "api-key", true), (upstream.ValueFrom.SecretKeyRef.Name, upstream.ValueFrom.SecretKeyRef.Key, upstream.ValueFrom.SecretKeyRef.Optional));

        spec.Router.ApiKeysSecret = "";
        spec.Engine.ApiKeySecret = "";
        var open = Container(ControlPlaneBuilder.RouterDeployment(Context(spec))).Env.Select(e => e.Name).ToList();
        Assert.DoesNotContain(RouterEnvironment.ApiKeys, open);
        Assert.DoesNotContain(RouterEnvironment.WorkerApiKey, open);
    }

    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void No_generated_file_holds_a_key_or_token_value(string name)
    {
        foreach (var container in ManifestBuilder.Build(ReferenceTopologies.Get(name)).Files.SelectMany(f => f.Objects).OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers))
            Assert.All(container.Env.Where(e => new[] { "key", "keys", "token" }.Any(end => e.Name.EndsWith(end, StringComparison.OrdinalIgnoreCase))), e => Assert.Null(e.Value));
    }

    [Fact]
    public void The_router_and_kv_transfer_env_is_exactly_their_typed_contract()
    {
        var context = Context(ReferenceTopologies.Get("llama70b-pd"));
        var routerKeys = Constants(typeof(RouterEnvironment)).ToHashSet();
        Assert.All(Container(ControlPlaneBuilder.RouterDeployment(context)).Env, e =>
            Assert.True(routerKeys.Contains(e.Name) || e.Name == RouterEnvironment.Prefill(0) || e.Name == RouterEnvironment.Decode(0), e.Name));
        var kvKeys = Constants(typeof(KvTransferEnvironment)).ToHashSet();
        kvKeys.UnionWith(context.Spec.Pools.Select((_, i) => KvTransferEnvironment.KvEventsService(i)));
        Assert.All(Container(ControlPlaneBuilder.KvTransferDeployment(context)).Env, e => Assert.Contains(e.Name, kvKeys));
        Assert.Equal("Router__Prefill__3", RouterEnvironment.Prefill(3));
        Assert.Equal("Router__Decode__12", RouterEnvironment.Decode(12));
    }

    [Fact]
    public void Our_images_come_from_the_configured_registry_and_vllm_stays_as_it_is()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.Registry = "123456789012.dkr.ecr.us-west-2.amazonaws.com/";
        var context = Context(spec);
        Assert.Equal("123456789012.dkr.ecr.us-west-2.amazonaws.com/disaggserving/router:0.1.0", Container(ControlPlaneBuilder.RouterDeployment(context)).Image);
        Assert.Equal("123456789012.dkr.ecr.us-west-2.amazonaws.com/disaggserving/kv-transfer:0.1.0", Container(ControlPlaneBuilder.KvTransferDeployment(context)).Image);
        Assert.Equal(spec.Engine.EffectiveEfaImage, context.Image(spec.Pools[0])); // KV over EFA: the EFA-enabled vLLM image, not ours
        Assert.Equal("0.1.0", ControlPlaneBuilder.RouterDeployment(context).Metadata.Labels[Labels.Version]);
        Assert.Equal("ghcr.io/acme/router:1", context.OwnImage("ghcr.io/acme/router:1"));
        Assert.Equal("localhost:5000/router:1", context.OwnImage("localhost:5000/router:1"));

        spec.Engine.Kind = EngineKind.Worker;
        Assert.Equal("123456789012.dkr.ecr.us-west-2.amazonaws.com/disaggserving/worker:0.1.0", Context(spec).Image(spec.Pools[0]));

        spec.Eks.Registry = "";
        Assert.Equal("disaggserving/router:0.1.0", Container(ControlPlaneBuilder.RouterDeployment(Context(spec))).Image);
    }

    [Theory]
    [InlineData("DisaggServing.Router", "disaggserving/router", 8080)]
    [InlineData("DisaggServing.KvTransfer", "disaggserving/kv-transfer", 8080)]
    [InlineData("DisaggServing.Worker", "disaggserving/worker", 8000)]
    public void Each_image_the_manifests_name_is_the_one_its_project_publishes(string project, string repository, int port)
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var csproj = XDocument.Load(Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"));
        string? Property(XDocument doc, string name) => doc.Descendants(name).SingleOrDefault()?.Value;
        Assert.Equal(repository, Property(csproj, "ContainerRepository"));
        Assert.Equal("$(DisaggImageVersion)", Property(csproj, "ContainerImageTags"));
        Assert.Equal(ControlPlaneBuilder.ImageUser.ToString(System.Globalization.CultureInfo.InvariantCulture), Property(csproj, "ContainerUser"));
        Assert.Equal("linux-" + (ControlPlaneBuilder.ImageArchitecture == "amd64" ? "x64" : "arm64"), Property(csproj, "ContainerRuntimeIdentifier"));
        Assert.Contains(csproj.Descendants("ContainerPort"), p => p.Attribute("Include")?.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var version = Property(props, "DisaggImageVersion");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Property(props, "DisaggContainerBaseImage"), StringComparison.Ordinal);

        var defaults = new TopologySpec();
        var image = project switch
        {
            "DisaggServing.Router" => defaults.Router.Image,
            "DisaggServing.KvTransfer" => defaults.KvTransfer.Image,
            _ => defaults.Engine.WorkerImage,
        };
        Assert.Equal($"{repository}:{version}", image);
    }
}
