using System.Net;
using System.Net.Sockets;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Discovery;
using DisaggServing.Router.Endpoints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Tests.Unit;

/// <summary><c>dns:///host:port</c> entries in Router:Prefill / Router:Decode: one engine per resolved address.</summary>
public class DnsEndpointTests
{
    private const string Prefill = "prefill.ns.svc.cluster.local";
    private const string Decode = "decode.ns.svc.cluster.local";

    private static IPAddress[] Ips(params string[] addresses) => [.. addresses.Select(IPAddress.Parse)];

    private static (DnsRefreshService Service, EndpointCatalog Catalog) Refresher(FakeDnsResolver dns, string[] prefill, string[] decode)
    {
        var options = new RouterOptions { Prefill = [.. prefill], Decode = [.. decode] };
        var catalog = new EndpointCatalog(options);
        return (new DnsRefreshService(dns, catalog, Options.Create(options), TimeProvider.System, NullLogger<DnsRefreshService>.Instance), catalog);
    }

    [Theory]
    [InlineData("dns:///decode.ns.svc.cluster.local:8000", "decode.ns.svc.cluster.local", 8000)]
    [InlineData("dns://decode.ns.svc.cluster.local:8000", "decode.ns.svc.cluster.local", 8000)]
    [InlineData(" DNS:///Decode.NS:80 ", "decode.ns", 80)]
    [InlineData("dns:///10.0.0.7:9000", "10.0.0.7", 9000)]
    [InlineData("dns:///[fd00::7]:9000", "fd00::7", 9000)]
    public void Dns_entries_parse(string entry, string host, int port)
    {
        var source = EngineSource.Parse(entry);
        Assert.True(source.IsDns);
        Assert.Equal((host, port), (source.DnsHost, source.Port));
        Assert.Null(source.Address);
        Assert.Equal(source, EngineSource.Parse(source.ToString()));
    }

    [Theory]
    [InlineData("dns:///decode")]
    [InlineData("dns:///decode:")]
    [InlineData("dns:///:8000")]
    [InlineData("dns:///decode:0")]
    [InlineData("dns:///decode:70000")]
    [InlineData("dns:///decode:http")]
    [InlineData("dns://8.8.8.8/decode:8000")]
    [InlineData("dns:decode:8000")]
    [InlineData("dns:///decode:8000/v1")]
    [InlineData("dns:///bad host:8000")]
    [InlineData("decode:8000")]
    [InlineData("ftp://decode:8000")]
    public void Invalid_entries_are_refused(string entry)
    {
        Assert.False(EngineSource.TryParse(entry, out _, out var error));
        Assert.Contains(entry, error);
        Assert.Throws<ArgumentException>(() => new EndpointCatalog([entry], []));
    }

    [Fact]
    public void Http_entries_stay_static()
    {
        var source = EngineSource.Parse("http://LOCALHOST:5101/");
        Assert.False(source.IsDns);
        Assert.Equal("http://127.0.0.1:5101", source.Address);
    }

    [Fact]
    public void Every_resolved_address_becomes_an_endpoint_and_leaves_when_dns_drops_it()
    {
        var catalog = new EndpointCatalog([], [$"dns:///{Decode}:8000"]);
        var source = Assert.Single(catalog.DnsSources);
        Assert.True(catalog.Decode.IsConfigured);
        Assert.Empty(catalog.Decode.Snapshot); // nothing until the first resolution

        Assert.True(catalog.ApplyDns(source, Ips("10.0.0.2", "10.0.0.1", "10.0.0.2")));
        Assert.Equal(["http://10.0.0.1:8000", "http://10.0.0.2:8000"], catalog.Decode.Snapshot.Select(e => e.Address));
        var kept = catalog.Decode.Snapshot[1];
        kept.Enter();

        Assert.True(catalog.ApplyDns(source, Ips("10.0.0.2", "10.0.0.3")));
        Assert.Equal(["http://10.0.0.2:8000", "http://10.0.0.3:8000"], catalog.Decode.Snapshot.Select(e => e.Address));
        Assert.Same(kept, catalog.Decode.Snapshot[0]); // in-flight count, load and health survive a refresh
        Assert.Equal(2, catalog.All.Count);
        Assert.False(catalog.ApplyDns(source, Ips("10.0.0.3", "10.0.0.2")));

        Assert.True(catalog.ApplyDns(source, []));
        Assert.Empty(catalog.Decode.Snapshot);
        Assert.Empty(catalog.All);
        kept.Exit();
    }

    [Fact]
    public void Static_and_dns_entries_mix_in_list_order_and_addresses_in_both_roles_share_one_endpoint()
    {
        var catalog = new EndpointCatalog(
            ["http://10.0.9.9:8000", $"dns:///{Prefill}:8000"],
            [$"dns:///{Decode}:8000", "http://10.0.9.9:8000", $"dns://{Decode}:8000"]);
        Assert.Equal(2, catalog.DnsSources.Count); // the two spellings of one name are one entry
        Assert.Equal(["http://10.0.9.9:8000"], catalog.Prefill.Snapshot.Select(e => e.Address));

        catalog.ApplyDns(EngineSource.Parse($"dns:///{Prefill}:8000"), Ips("10.0.1.1"));
        catalog.ApplyDns(EngineSource.Parse($"dns:///{Decode}:8000"), Ips("10.0.2.1", "10.0.1.1"));
        Assert.Equal(["http://10.0.9.9:8000", "http://10.0.1.1:8000"], catalog.Prefill.Snapshot.Select(e => e.Address));
        Assert.Equal(["http://10.0.1.1:8000", "http://10.0.2.1:8000", "http://10.0.9.9:8000"], catalog.Decode.Snapshot.Select(e => e.Address));
        Assert.Same(catalog.Prefill.Snapshot[0], catalog.Decode.Snapshot[2]);
        Assert.Same(catalog.Prefill.Snapshot[1], catalog.Decode.Snapshot[0]);
        Assert.Equal(3, catalog.All.Count);

        // Discovery names configured engines but does not add its own.
        catalog.ApplyDiscovery(
        [
            new DiscoveredEngine("d-1", "decode", "http://10.0.2.1:8000", null),
            new DiscoveredEngine("d-x", "decode", "http://10.0.7.7:8000", null),
        ], applyLoad: true);
        Assert.Equal("d-1", catalog.Decode.Snapshot[1].EngineId);
        Assert.Equal(3, catalog.Decode.Snapshot.Length);
        catalog.ApplyDns(EngineSource.Parse($"dns:///{Decode}:8000"), Ips("10.0.2.1"));
        Assert.Equal("d-1", catalog.Decode.Snapshot[0].EngineId); // the name survives a DNS refresh
    }

    [Fact]
    public void Addresses_become_http_base_urls()
    {
        var source = EngineSource.Parse($"dns:///{Decode}:8000");
        Assert.Equal("http://10.0.0.1:8000", source.AddressOf(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.Equal("http://[fd00::1]:8000", source.AddressOf(IPAddress.Parse("fd00::1")));
        Assert.Equal("http://[fe80::1]:8000", source.AddressOf(IPAddress.Parse("fe80::1%2")));
        Assert.Throws<ArgumentException>(() => new EndpointCatalog([], []).ApplyDns(source, []));
    }

    [Fact]
    public async Task The_refresher_adds_and_removes_engines_as_dns_changes()
    {
        var dns = new FakeDnsResolver();
        var (refresher, catalog) = Refresher(dns, [$"dns:///{Prefill}:8000"], ["http://10.0.9.9:8000", $"dns:///{Decode}:8001"]);
        dns.Set(Prefill, "10.0.1.1");
        dns.Set(Decode, "10.0.2.1", "10.0.2.2");
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Equal(["http://10.0.1.1:8000"], catalog.Prefill.Snapshot.Select(e => e.Address));
        Assert.Equal(["http://10.0.9.9:8000", "http://10.0.2.1:8001", "http://10.0.2.2:8001"], catalog.Decode.Snapshot.Select(e => e.Address));

        dns.Set(Decode, "10.0.2.2", "10.0.2.3");
        dns.Fail(Prefill, SocketError.HostNotFound); // a headless Service without ready pods
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Empty(catalog.Prefill.Snapshot);
        Assert.Equal(["http://10.0.9.9:8000", "http://10.0.2.2:8001", "http://10.0.2.3:8001"], catalog.Decode.Snapshot.Select(e => e.Address));
    }

    [Fact]
    public async Task A_failed_lookup_keeps_the_last_known_engines()
    {
        var dns = new FakeDnsResolver();
        var (refresher, catalog) = Refresher(dns, [], [$"dns:///{Decode}:8000"]);
        dns.Set(Decode, "10.0.2.1");
        await refresher.RefreshAsync(CancellationToken.None);
        dns.Fail(Decode, SocketError.TryAgain);
        await refresher.RefreshAsync(CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Equal(["http://10.0.2.1:8000"], catalog.Decode.Snapshot.Select(e => e.Address));
        Assert.Equal(3, dns.Lookups);
    }

    [Fact]
    public async Task The_refresher_runs_until_stopped_and_does_nothing_without_dns_entries()
    {
        var dns = new FakeDnsResolver();
        dns.Set(Decode, "10.0.2.1");
        var (refresher, catalog) = Refresher(dns, [], [$"dns:///{Decode}:8000"]);
        await refresher.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (catalog.Decode.Snapshot.Length == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        await refresher.StopAsync(CancellationToken.None);
        Assert.Single(catalog.Decode.Snapshot);

        var idle = new FakeDnsResolver();
        var (none, _) = Refresher(idle, ["http://10.0.9.9:8000"], []);
        await none.StartAsync(CancellationToken.None);
        await none.StopAsync(CancellationToken.None);
        Assert.Equal(0, idle.Lookups);
    }

    [Fact]
    public void Bad_entries_stop_the_start_with_the_key_named()
    {
        static IConfiguration Config(params (string Key, string Value)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

        var options = RouterOptionsLoader.Load(Config(("Router:Decode:0", "http://10.0.0.1:8000"), ("Router:Decode:1", $"dns:///{Decode}:8000")));
        Assert.Equal(5000, options.DnsRefreshIntervalMs);
        var error = Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(Config(("Router:Decode:0", "http://10.0.0.1:8000"), ("Router:Decode:1", "dns:///decode"))));
        Assert.StartsWith("Router:Decode:1:", error.Message);
        Assert.Contains("dns:///decode", error.Message);
        Assert.StartsWith("Router:Prefill:0:", Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(Config(("Router:Prefill", "10.0.0.1:8000")))).Message);
        Assert.Contains("Router:DnsRefreshIntervalMs", Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(Config(("Router:DnsRefreshIntervalMs", "0")))).Message);
    }
}
