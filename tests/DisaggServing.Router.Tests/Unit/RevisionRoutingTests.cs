using System.Net;
using System.Text;
using System.Text.Json;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Discovery;
using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>Routing by DisaggregatedSet revision: never an old prefill with a new decode during a rollout.</summary>
public class RevisionRoutingTests
{
    private const string OldPrefill = "http://10.0.0.1:8000";
    private const string NewPrefill = "http://10.0.0.2:8000";
    private const string OldDecode = "http://10.0.0.3:8000";
    private const string NewDecode = "http://10.0.0.4:8000";

    // Two revisions published by the controller, one EndpointSlice per role and revision, plus a slice without a revision label.
    private const string SliceList = """
        {"kind":"EndpointSliceList","items":[
          {"metadata":{"labels":{"disaggregatedset.x-k8s.io/name":"glm","disaggregatedset.x-k8s.io/role":"prefill","disaggregatedset.x-k8s.io/revision":"aaa"}},
           "endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true}}]},
          {"metadata":{"labels":{"disaggregatedset.x-k8s.io/name":"glm","disaggregatedset.x-k8s.io/role":"decode","disaggregatedset.x-k8s.io/revision":"aaa"}},
           "endpoints":[{"addresses":["10.0.0.3"]}]},
          {"metadata":{"labels":{"disaggregatedset.x-k8s.io/name":"glm","disaggregatedset.x-k8s.io/role":"prefill","disaggregatedset.x-k8s.io/revision":"bbb"}},
           "endpoints":[{"addresses":["10.0.0.2"]}]},
          {"metadata":{"labels":{"disaggregatedset.x-k8s.io/name":"glm","disaggregatedset.x-k8s.io/role":"decode","disaggregatedset.x-k8s.io/revision":"bbb"}},
           "endpoints":[{"addresses":["10.0.0.4"]}]},
          {"metadata":{"labels":{"disaggregatedset.x-k8s.io/name":"glm"}},"endpoints":[{"addresses":["10.0.0.9"]}]}
        ]}
        """;

    private static EndpointScheduler Handler(EndpointCatalog catalog)
    {
        var registry = BuiltInPlugins.CreateRegistry();
        var empty = new ConfigurationBuilder().Build();
        var options = new SchedulingOptions();
        return new EndpointScheduler(
            registry.Build(SchedulingConfigReader.Read(empty, "decode"), options, TimeProvider.System),
            registry.Build(SchedulingConfigReader.Read(empty, "prefill"), options, TimeProvider.System),
            new PdDecider(64), new NullPrefixIndex(), catalog);
    }

    private static IReadOnlyDictionary<string, string> Revisions() => KubernetesRevisionSource.Parse(JsonDocument.Parse(SliceList).RootElement);

    [Fact]
    public void Endpoint_slices_map_each_address_to_its_revision()
    {
        var revisions = Revisions();
        Assert.Equal(["10.0.0.1=aaa", "10.0.0.2=bbb", "10.0.0.3=aaa", "10.0.0.4=bbb"], revisions.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_source_lists_the_sets_endpoint_slices_with_the_pods_token()
    {
        var handler = new CapturingHandler(SliceList);
        var options = new RevisionOptions { DisaggregatedSet = "glm", Namespace = "glm-ns" };
        var source = new KubernetesRevisionSource(new HttpClient(handler) { BaseAddress = new Uri("https://api.example") }, options, () => "tok");
        var revisions = await source.ListAsync(default);
        Assert.Equal(4, revisions.Count);
        Assert.Equal("https://api.example/apis/discovery.k8s.io/v1/namespaces/glm-ns/endpointslices?labelSelector=disaggregatedset.x-k8s.io%2Fname%3Dglm", handler.Uri!.AbsoluteUri);
        Assert.Equal("Bearer tok", handler.Authorization);
    }

    [Fact]
    public async Task A_decode_is_paired_only_with_a_prefill_of_its_own_revision()
    {
        var catalog = new EndpointCatalog([OldPrefill, NewPrefill], [OldDecode, NewDecode]);
        Assert.False(catalog.RoutesByRevision);
        catalog.ApplyRevisions(Revisions());
        Assert.True(catalog.RoutesByRevision);
        var handler = Handler(catalog);
        for (var i = 0; i < 20; i++)
        {
            var result = await handler.ScheduleAsync(Sched.Context(100), default);
            Assert.NotNull(result.Prefill);
            Assert.Equal(result.Decode!.Revision, result.Prefill!.Revision);
        }
    }

    [Fact]
    public async Task A_revision_without_a_prefill_goes_decode_only_and_unknown_engines_get_nothing()
    {
        var catalog = new EndpointCatalog([OldPrefill], [NewDecode, "http://10.0.0.7:8000"]);
        catalog.ApplyRevisions(Revisions());
        Assert.Null(catalog.Decode.Snapshot[1].Revision); // not in any published revision (e.g. a new pod before its revision is ready on every role)
        var handler = Handler(catalog);
        for (var i = 0; i < 10; i++)
        {
            var result = await handler.ScheduleAsync(Sched.Context(100), default);
            Assert.Equal(NewDecode, result.Decode!.Address);
            Assert.Null(result.Prefill);
            Assert.Equal(DecisionReason.NoPrefill, result.Reason);
        }

        Assert.Null(handler.PickPrefillRetry(Sched.Context(100), catalog.Prefill.Snapshot[0], catalog.Decode.Snapshot[0]));
    }

    [Fact]
    public async Task The_discovery_service_tags_endpoints_that_dns_adds_later()
    {
        var catalog = new EndpointCatalog(["dns:///prefill.glm.svc.cluster.local:8000"], [OldDecode]);
        var service = new RevisionDiscoveryService(new FixedSource(Revisions()), catalog, new RevisionOptions { DisaggregatedSet = "glm" }, TimeProvider.System,
            NullLogger<RevisionDiscoveryService>.Instance);
        await service.RefreshAsync(default);
        Assert.Equal("aaa", catalog.Decode.Snapshot[0].Revision);
        catalog.ApplyDns(catalog.DnsSources[0], [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")]);
        Assert.Equal(["aaa", "bbb"], catalog.Prefill.Snapshot.Select(e => e.Revision));
    }

    private sealed class FixedSource(IReadOnlyDictionary<string, string> revisions) : IRevisionSource
    {
        public Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(revisions);
    }

    private sealed class CapturingHandler(string body) : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
