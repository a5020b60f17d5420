using System.Net;
using DisaggServing.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Worker.Tests;

public sealed class KestrelSetupTests
{
    [Theory]
    [InlineData("urls", "http://localhost:5001;http://0.0.0.0:5002", "http://localhost:5001|http://0.0.0.0:5002")]
    [InlineData("HTTP_PORTS", "8080", "http://*:8080")]
    [InlineData("unrelated", "x", KestrelSetup.DefaultUrl)]
    public void Api_urls_follow_ASP_NET_precedence(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        Assert.Equal(expected.Split('|'), KestrelSetup.ApiUrls(configuration));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("10.0.3.7", "0.0.0.0")]
    [InlineData("prefill-0.svc", "0.0.0.0")]
    public void A_loopback_advertised_host_binds_loopback_only(string advertised, string bind)
    {
        Assert.Equal(IPAddress.Parse(bind), KestrelSetup.BindAddress(advertised));
    }
}
