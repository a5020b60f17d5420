using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// The baseline: a plain YARP single-hop reverse proxy (every path to one destination, YARP's defaults), run as
/// <c>DisaggServing.Benchmarks yarp-proxy PORT TARGET_URL</c>. Anything a proxy must do, it does; nothing more.
/// </summary>
internal static class YarpProxy
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[0], out var port) || !Uri.TryCreate(args[1], UriKind.Absolute, out var target))
        {
            await Console.Error.WriteLineAsync("usage: yarp-proxy PORT TARGET_URL").ConfigureAwait(false);
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddHealthChecks();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "worker", Order = 1, Match = new RouteMatch { Path = "{**path}" } }],
            [new ClusterConfig { ClusterId = "worker", Destinations = new Dictionary<string, DestinationConfig> { ["w"] = new() { Address = target.ToString() } } }]);
        var app = builder.Build();
        app.MapHealthChecks("/health");
        app.MapReverseProxy();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
