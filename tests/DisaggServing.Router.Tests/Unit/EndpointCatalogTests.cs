using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Tests.Unit;

public class EndpointCatalogTests
{
    [Fact]
    public void Discovery_fills_non_static_pools_by_role_and_shares_both_role_engines()
    {
        var catalog = new EndpointCatalog([], []);
        catalog.ApplyDiscovery(
        [
            new DiscoveredEngine("p0", "prefill", "http://127.0.0.1:5101/", new EndpointLoad(1, 2, 0.5)),
            new DiscoveredEngine("d0", "decode", "http://127.0.0.1:5201", null),
            new DiscoveredEngine("b0", "both", "http://127.0.0.1:5301", null),
            new DiscoveredEngine("bad", "decode", "not a url", null),
        ], applyLoad: true);
        Assert.Equal(["p0", "b0"], catalog.Prefill.Snapshot.Select(e => e.EngineId));
        Assert.Equal(["d0", "b0"], catalog.Decode.Snapshot.Select(e => e.EngineId));
        Assert.Same(catalog.Prefill.Snapshot[1], catalog.Decode.Snapshot[1]);
        Assert.Equal(2, catalog.Prefill.Snapshot[0].Load.Running);
        Assert.Equal(3, catalog.All.Count);

        var p0 = catalog.Prefill.Snapshot[0];
        p0.Enter();
        catalog.ApplyDiscovery([new DiscoveredEngine("p0", "prefill", "http://127.0.0.1:5101", null)], applyLoad: true);
        Assert.Same(p0, Assert.Single(catalog.Prefill.Snapshot)); // state survives a refresh
        Assert.Empty(catalog.Decode.Snapshot);
        p0.Exit();
    }

    [Fact]
    public void Static_lists_win_but_learn_engine_ids()
    {
        var catalog = new EndpointCatalog(["http://127.0.0.1:5101"], ["http://LOCALHOST:5201/"]);
        Assert.Equal("http://127.0.0.1:5201", catalog.Decode.Snapshot[0].Address);
        catalog.ApplyDiscovery(
        [
            new DiscoveredEngine("p0", "prefill", "http://127.0.0.1:5101", new EndpointLoad(9, 9, 0)),
            new DiscoveredEngine("p-other", "prefill", "http://127.0.0.1:5999", null),
        ], applyLoad: false);
        var p = Assert.Single(catalog.Prefill.Snapshot);
        Assert.Equal("p0", p.EngineId);
        Assert.Equal(0, p.Load.Running); // scraping owns the load
        Assert.Single(catalog.Decode.Snapshot);
    }

    [Fact]
    public void Addresses_must_be_http_base_urls()
    {
        Assert.Throws<ArgumentException>(() => new EndpointCatalog(["ftp://x"], []));
        Assert.Throws<ArgumentException>(() => new EndpointCatalog(["127.0.0.1:5000"], []));
        var endpoint = new EngineEndpoint("http://127.0.0.1:5000/");
        Assert.Equal("http://127.0.0.1:5000/v1/chat/completions", endpoint.ChatCompletions.ToString());
        Assert.Equal("http://127.0.0.1:5000", endpoint.Name);
    }
}

public class EngineAddressTests
{
    [Theory]
    [InlineData("http://localhost:5101/", "http://127.0.0.1:5101")]
    [InlineData("HTTP://LOCALHOST:5101", "http://127.0.0.1:5101")]
    [InlineData("http://127.0.0.1:5101", "http://127.0.0.1:5101")]
    [InlineData("http://10.0.0.7:8000/", "http://10.0.0.7:8000")]
    public void Loopback_names_normalize_to_one_address(string raw, string normalized) =>
        Assert.Equal(normalized, DisaggServing.Router.Endpoints.EngineEndpoint.NormalizeAddress(raw));
}
