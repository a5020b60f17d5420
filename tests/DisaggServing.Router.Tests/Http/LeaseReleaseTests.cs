using DisaggServing.Router.Proxy;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>A prefill's lease is released through its KV side channel when no decode engine takes the request.</summary>
public class LeaseReleaseTests : IAsyncLifetime
{
    private FakeKvTransferService _peer = null!;
    private FakeWorker _prefill = null!;
    private FakeWorker _decode = null!;
    private RouterHost _deadDecode = null!;
    private RouterHost _router = null!;
    private readonly DeadPort _dead = new();

    public async Task InitializeAsync()
    {
        _peer = await FakeKvTransferService.StartAsync();
        _prefill = await FakeWorker.StartAsync("prefill-0");
        _prefill.KvPort = _peer.Port;
        _decode = await FakeWorker.StartAsync("decode-0");
        _deadDecode = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Prefill:0"] = _prefill.Url,
            ["Router:Decode:0"] = _dead.Url,
            ["Router:Decider:MinUncachedTokens"] = "0",
        });
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Prefill:0"] = _prefill.Url,
            ["Router:Decode:0"] = _decode.Url,
            ["Router:Decider:MinUncachedTokens"] = "0",
        });
    }

    public async Task DisposeAsync()
    {
        await _deadDecode.DisposeAsync();
        await _router.DisposeAsync();
        await _prefill.DisposeAsync();
        await _decode.DisposeAsync();
        await _peer.DisposeAsync();
        _dead.Dispose();
    }

    [Fact]
    public async Task An_unreachable_decode_engine_gets_the_prefill_lease_released()
    {
        var id = Bodies.NewId();
        using var response = await _deadDecode.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
        await Bodies.AssertOpenAiErrorAsync(response, 502);
        Assert.Single(_prefill.CallsFor(id));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_peer.Releases.Any(r => r.RemoteRequestId == id) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var release = Assert.Single(_peer.Releases, r => r.RemoteRequestId == id);
        Assert.Equal(AbandonedLeaseReleaser.RequesterId, release.RequesterEngineId);
    }

    [Fact]
    public async Task A_decode_engine_that_takes_the_request_owns_the_lease()
    {
        _decode.Reset();
        _decode.FailNext = 0;
        var id = Bodies.NewId();
        using (var response = await _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id)))
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        _decode.FailNext = 1;
        _decode.FailStatus = 500;
        var failedId = Bodies.NewId();
        using (var response = await _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), failedId)))
            await Bodies.AssertOpenAiErrorAsync(response, 500);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_peer.Releases.Any(r => r.RemoteRequestId == failedId) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Contains(_peer.Releases, r => r.RemoteRequestId == failedId);
        Assert.DoesNotContain(_peer.Releases, r => r.RemoteRequestId == id);
    }
}
