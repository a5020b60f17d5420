using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>A puller extends and releases a lease. Long leases here, so a slow machine cannot expire it mid-test.</summary>
public sealed class LeaseExtensionTests(PdPairFixture fixture) : IClassFixture<PdPairFixture>
{
    private WorkerHost Prefill => fixture.Prefill;

    [Fact]
    public async Task The_puller_extends_and_releases_a_lease()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("extend"), max_tokens = 4 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "extend-1");
        var lease = new LeaseRequest { RemoteRequestId = kv.GetProperty("remote_request_id").GetString(), RequesterEngineId = "test" };
        var client = new KvPeer.KvPeerClient(new PeerChannels().Get("127.0.0.1", Prefill.Endpoints.KvPort));

        var extended = await client.ExtendLeaseAsync(lease);
        var released = await client.ReleaseLeaseAsync(lease);
        var again = await client.ReleaseLeaseAsync(lease);

        Assert.True(extended.Found);
        Assert.InRange(extended.ExpiresInSeconds, 0.01, PdPairFixture.LeaseSeconds);
        Assert.True(released.Found);
        Assert.False(again.Found);
        var state = await Prefill.StateAsync();
        Assert.Equal(0, state.LeasesOpen);
        Assert.Equal(0, state.BlocksUsed);
    }
}
