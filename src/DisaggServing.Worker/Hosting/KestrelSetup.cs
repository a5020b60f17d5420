using System.Net;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Kv;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DisaggServing.Worker.Hosting;

/// <summary>
/// Kestrel endpoints: the API on Worker:HttpPort (HTTP/1.1; HTTP/1.1 and HTTP/2 on an https URL, since Kestrel
/// negotiates HTTP/2 beside HTTP/1.1 only over TLS) and the KV side channel on Worker:KvPort (HTTP/2 only,
/// cleartext, for gRPC). Listening in code makes Kestrel ignore ASPNETCORE_URLS, so without
/// Worker:HttpPort the URLs (or ASP.NET's default) are bound here by hand.
/// </summary>
public static class KestrelSetup
{
    public const string DefaultUrl = "http://localhost:5000";

    public static void Configure(KestrelServerOptions kestrel, WorkerSettings settings, IConfiguration configuration, WorkerEndpoints endpoints)
    {
        var bind = BindAddress(settings.AdvertisedHost);
        if (settings.HttpPort is { } httpPort)
        {
            kestrel.Listen(bind, httpPort, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                endpoints.AddHttp(o);
            });
        }
        else
        {
            foreach (var url in ApiUrls(configuration))
                Listen(kestrel, url, endpoints);
        }
        kestrel.Listen(bind, settings.KvPort ?? 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            // The raw-TCP KV data channel shares the port: connection middleware runs before Kestrel's HTTP/2
            // handler and takes only connections that open with its preamble.
            if (settings.KvDataChannel)
                o.Use(next => connection => o.ApplicationServices.GetRequiredService<KvDataChannelServer>().OnConnectionAsync(connection, next));
            endpoints.SetKv(o);
        });
    }

    /// <summary>ASPNETCORE_URLS / --urls, else HTTP_PORTS, else ASP.NET's default.</summary>
    public static IReadOnlyList<string> ApiUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ports = configuration["http_ports"] ?? configuration["HTTP_PORTS"];
        if (!string.IsNullOrWhiteSpace(ports))
            return [.. ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}")];
        return [DefaultUrl];
    }

    /// <summary>Loopback when the worker advertises a loopback address, so a laptop run stays private; else every interface.</summary>
    public static IPAddress BindAddress(string advertisedHost)
    {
        if (advertisedHost.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback;
        return IPAddress.TryParse(advertisedHost, out var ip) && IPAddress.IsLoopback(ip) ? ip : IPAddress.Any;
    }

    private static void Listen(KestrelServerOptions kestrel, string url, WorkerEndpoints endpoints)
    {
        var address = BindingAddress.Parse(url);
        var https = address.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        void Configure(ListenOptions o)
        {
            // HTTP/2 needs TLS (ALPN) on an endpoint that also speaks HTTP/1.1; cleartext serves HTTP/1.1.
            o.Protocols = https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (https)
                o.UseHttps();
            endpoints.AddHttp(o);
        }

        var host = address.Host;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel cannot bind "localhost" to a dynamic port; loopback can.
            if (address.Port == 0)
                kestrel.Listen(IPAddress.Loopback, 0, Configure);
            else
                kestrel.ListenLocalhost(address.Port, Configure);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, Configure);
        }
        else
        {
            // "*", "+" and host names mean every interface, as in Kestrel's own URL binding.
            kestrel.ListenAnyIP(address.Port, Configure);
        }
    }
}
