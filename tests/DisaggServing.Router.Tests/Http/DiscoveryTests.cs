using System.Net;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Router.Discovery;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Engines discovered from the KV-transfer registry, and prefix-aware routing through its KV index.</summary>
public class DiscoveryTests : IAsyncLifetime
{
    private FakeKvTransferService _kv = null!;
    private FakeWorker _prefill = null!;
    private FakeWorker _decode0 = null!;
    private FakeWorker _decode1 = null!;
    private RouterHost _router = null!;

    public async Task InitializeAsync()
    {
        _kv = await FakeKvTransferService.StartAsync();
        _prefill = await FakeWorker.StartAsync("prefill-a");
        _decode0 = await FakeWorker.StartAsync("decode-a");
        _decode1 = await FakeWorker.StartAsync("decode-b");
        _kv.Add("prefill-a", "prefill", _prefill.Url);
        _kv.Add("decode-a", "decode", _decode0.Url);
        _kv.Add("decode-b", "decode", _decode1.Url, running: 3);
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:KvTransferUrl"] = _kv.Url,
            ["Router:Decider:MinUncachedTokens"] = "64",
            ["Router:PrefixLookupTimeoutMs"] = "5000",
        });
        await _router.Get<DiscoveryService>().RefreshAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        foreach (var worker in new[] { _prefill, _decode0, _decode1 }) await worker.DisposeAsync();
        await _kv.DisposeAsync();
    }

    [Fact]
    public void Pools_come_from_the_registry_with_ids_and_load()
    {
        var catalog = _router.Get<EndpointCatalog>();
        Assert.Equal(["prefill-a"], catalog.Prefill.Snapshot.Select(e => e.EngineId));
        Assert.Equal(["decode-a", "decode-b"], catalog.Decode.Snapshot.Select(e => e.EngineId));
        Assert.Equal(3, catalog.Decode.Snapshot[1].Load.Running); // heartbeat load, as scraping is off
    }

    [Fact]
    public async Task The_decode_engine_holding_the_prefix_is_chosen_and_a_mostly_cached_prompt_skips_prefill()
    {
        var prompt = Bodies.Words(200);
        var tokens = PromptTokenizer.Instance.Encode(prompt);
        var blocks = tokens.Count / 16;
        _kv.Matches.Clear();
        _kv.Matches["decode-b"] = blocks; // everything cached on the busier engine

        var id = Bodies.NewId();
        using var response = await _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(prompt), id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decode-b", Bodies.Header(response, HeaderNames.DecodeEngine));
        Assert.Equal("decode-only", Bodies.Header(response, HeaderNames.Route));
        var query = _kv.Queries.Last();
        Assert.Equal(PromptTokenizer.BlockHashes(tokens), query.BlockHashes.ToArray());

        _kv.Matches.Clear();
        using var uncached = await _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(prompt)));
        Assert.Equal("pd", Bodies.Header(uncached, HeaderNames.Route));
        Assert.Equal("prefill-a", Bodies.Header(uncached, HeaderNames.PrefillEngine));
    }
}
