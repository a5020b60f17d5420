using System.Net;
using DisaggServing.KvTransfer.Hosting;

namespace DisaggServing.KvTransfer.Tests.Hosting;

public class ListenerPlanTests
{
    [Fact]
    public void Defaults_bind_all_addresses_on_the_default_ports()
    {
        var plan = ListenerPlan.Resolve(new KvTransferOptions(), null, null);

        Assert.Equal(new ListenerPlan(null, KvTransferOptions.DefaultGrpcPort, KvTransferOptions.DefaultHttpPort), plan);
    }

    [Fact]
    public void Explicit_ports_and_address_win()
    {
        var options = new KvTransferOptions { GrpcPort = 7001, HttpPort = 7002, ListenAddress = "127.0.0.1" };

        var plan = ListenerPlan.Resolve(options, "http://localhost:9999", "8888");

        Assert.Equal(new ListenerPlan(IPAddress.Loopback, 7001, 7002), plan);
    }

    [Theory]
    [InlineData("http://localhost:5123", "127.0.0.1", 5123)]
    [InlineData("https://localhost:5001;http://127.0.0.1:5124", "127.0.0.1", 5124)]
    [InlineData("http://*:5125", null, 5125)]
    [InlineData("http://+:5126", null, 5126)]
    [InlineData("http://0.0.0.0:5127", null, 5127)]
    [InlineData("http://[::1]:5128", "::1", 5128)]
    [InlineData("http://my-host:5129", null, 5129)]
    [InlineData("http://localhost", "127.0.0.1", 80)]
    public void The_http_port_falls_back_to_aspnetcore_urls(string urls, string? address, int port)
    {
        var plan = ListenerPlan.Resolve(new KvTransferOptions(), urls, "9999");

        Assert.Equal(address is null ? null : IPAddress.Parse(address), plan.Address);
        Assert.Equal(port, plan.HttpPort);
    }

    [Fact]
    public void Then_to_http_ports()
    {
        var plan = ListenerPlan.Resolve(new KvTransferOptions(), "https://localhost:5001", "8081;8082");

        Assert.Null(plan.Address);
        Assert.Equal(8081, plan.HttpPort);
    }

    [Fact]
    public void Zero_ports_mean_any_free_port_even_both()
    {
        var plan = ListenerPlan.Resolve(new KvTransferOptions { GrpcPort = 0, HttpPort = 0 }, null, null);

        Assert.Equal((0, 0), (plan.GrpcPort, plan.HttpPort));
    }

    [Theory]
    [InlineData(5000, 5000, null)]
    [InlineData(-1, 5000, null)]
    [InlineData(5000, 70000, null)]
    [InlineData(5000, 5001, "not-an-ip")]
    public void Bad_settings_are_refused_with_the_key_named(int grpc, int http, string? address)
    {
        var options = new KvTransferOptions { GrpcPort = grpc, HttpPort = http, ListenAddress = address };

        var error = Assert.Throws<InvalidOperationException>(() => ListenerPlan.Resolve(options, null, null));
        Assert.Contains("KvTransfer:", error.Message);
    }
}
