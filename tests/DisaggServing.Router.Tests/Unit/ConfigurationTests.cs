using DisaggServing.Router.Configuration;
using DisaggServing.Router.Hosting;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Tests.Unit;

public class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void Defaults()
    {
        var options = RouterOptionsLoader.Load(Config());
        Assert.Equal(8000, options.Port);
        Assert.Equal(256, options.Decider.MinUncachedTokens);
        Assert.Equal(4 * 1024 * 1024, options.MaxBodyBytes);
        Assert.Empty(options.ApiKeys);
        Assert.Equal("http://0.0.0.0:8000", ListenAddress.Resolve(Config(), options));
    }

    [Fact]
    public void Lists_come_indexed_or_comma_separated()
    {
        var options = RouterOptionsLoader.Load(Config(
            ("Router:Prefill:0", "http://a:1"), ("Router:Prefill:1", "http://b:2"),
            ("Router:Decode", "http://c:3, http://d:4"),
            ("Router:ApiKeys", "k1;k2"),
            ("Router:Decider:MinUncachedTokens", "32"),
            ("Router:Scheduling:Profiles:decode:Picker", "round-robin")));
        Assert.Equal(["http://a:1", "http://b:2"], options.Prefill);
        Assert.Equal(["http://c:3", "http://d:4"], options.Decode);
        Assert.Equal(["k1", "k2"], options.ApiKeys);
        Assert.Equal(32, options.Decider.MinUncachedTokens);
    }

    [Fact]
    public void Urls_from_the_host_win_over_router_port()
    {
        var options = RouterOptionsLoader.Load(Config(("Router:Port", "9000"), ("Router:Host", "127.0.0.1")));
        Assert.Equal("http://127.0.0.1:9000", ListenAddress.Resolve(Config(), options));
        Assert.Null(ListenAddress.Resolve(Config(("urls", "http://127.0.0.1:5555")), options));
        Assert.Equal("http://[::1]:9000", ListenAddress.Resolve(Config(), new RouterOptions { Host = "::1", Port = 9000 }));
        Assert.Throws<InvalidOperationException>(() => ListenAddress.Resolve(Config(), new RouterOptions { Port = 70000 }));
    }

    [Fact]
    public void Bad_values_stop_the_start_with_the_key_named()
    {
        Assert.Contains("Router:MaxBodyBytes", Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(Config(("Router:MaxBodyBytes", "0")))).Message);
        Assert.Contains("Router:KvTransferUrl", Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(Config(("Router:KvTransferUrl", "nope")))).Message);
    }
}
