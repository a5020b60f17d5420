using DisaggServing.Router.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>The drain window the EKS manifests give a stopping router (Topology's RouterEnvironment.ShutdownTimeoutSeconds).</summary>
public class ShutdownTimeoutTests
{
    [Fact]
    public async Task The_hosts_shutdown_timeout_comes_from_DOTNET_SHUTDOWNTIMEOUTSECONDS()
    {
        const string key = "DOTNET_SHUTDOWNTIMEOUTSECONDS";
        Environment.SetEnvironmentVariable(key, "77");
        try
        {
            await using var app = RouterApp.Build(["--urls=http://127.0.0.1:0"]);
            Assert.Equal(TimeSpan.FromSeconds(77), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }
}
