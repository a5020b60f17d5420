using DisaggServing.Router.Configuration;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Hosting;

/// <summary>
/// Where the router listens: ASPNETCORE_URLS / <c>--urls</c> / Kestrel endpoints when given; otherwise
/// <c>http://{Router:Host}:{Router:Port}</c> (default <c>http://0.0.0.0:8000</c>, vLLM's port).
/// </summary>
public static class ListenAddress
{
    /// <summary>The URL to listen on, or null when the host's own configuration already says.</summary>
    public static string? Resolve(IConfiguration configuration, RouterOptions options)
    {
        if (!string.IsNullOrWhiteSpace(configuration["urls"]) || configuration.GetSection("Kestrel:Endpoints").Exists())
            return null;
        if (options.Port is < 0 or > 65535)
            throw new InvalidOperationException($"Router:Port is {options.Port}; give a port from 0 to 65535.");
        var host = string.IsNullOrWhiteSpace(options.Host) ? "0.0.0.0" : options.Host.Trim();
        if (host.Contains(':') && !host.StartsWith('[')) host = $"[{host}]";
        return $"http://{host}:{options.Port}";
    }
}
