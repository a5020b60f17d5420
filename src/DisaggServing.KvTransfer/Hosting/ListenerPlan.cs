using System.Net;

namespace DisaggServing.KvTransfer.Hosting;

/// <summary>Where the two Kestrel listeners bind: gRPC (HTTP/2 only) and HTTP/1.1, on one address.</summary>
/// <param name="Address">The address, or null for all addresses.</param>
/// <param name="GrpcPort">The gRPC port (0 = any free port).</param>
/// <param name="HttpPort">The HTTP/1.1 port (0 = any free port).</param>
public sealed record ListenerPlan(IPAddress? Address, int GrpcPort, int HttpPort)
{
    /// <summary>
    /// Resolves the plan from <paramref name="options"/>, falling back for HTTP to <paramref name="urls"/>
    /// (ASPNETCORE_URLS) and <paramref name="httpPorts"/> (ASPNETCORE_HTTP_PORTS).
    /// </summary>
    /// <exception cref="InvalidOperationException">A port is out of range, both ports are the same, or the address is not one.</exception>
    public static ListenerPlan Resolve(KvTransferOptions options, string? urls, string? httpPorts)
    {
        ArgumentNullException.ThrowIfNull(options);
        var grpcPort = options.GrpcPort ?? KvTransferOptions.DefaultGrpcPort;
        string? urlHost = null;
        var httpPort = options.HttpPort;
        if (httpPort is null && FirstHttpUrl(urls) is { } url)
        {
            httpPort = url.Port;
            urlHost = url.Host;
        }

        httpPort ??= FirstPort(httpPorts) ?? KvTransferOptions.DefaultHttpPort;
        Check(grpcPort, nameof(KvTransferOptions.GrpcPort));
        Check(httpPort.Value, nameof(KvTransferOptions.HttpPort));
        if (grpcPort != 0 && grpcPort == httpPort)
        {
            throw new InvalidOperationException(
                $"KvTransfer:GrpcPort and the HTTP port are both {grpcPort}; gRPC (HTTP/2 only) and HTTP/1.1 need separate ports.");
        }

        var address = ParseAddress(options.ListenAddress ?? urlHost, options.ListenAddress is not null);
        return new ListenerPlan(address, grpcPort, httpPort.Value);
    }

    private static (string Host, int Port)? FirstHttpUrl(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
            return null;
        foreach (var raw in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                continue;
            // Wildcards (*, +) are not valid URI hosts: swap them for a placeholder before parsing.
            var rest = raw["http://".Length..];
            var wildcard = rest.StartsWith('*') || rest.StartsWith('+');
            if (!Uri.TryCreate("http://" + (wildcard ? "wildcard" + rest[1..] : rest), UriKind.Absolute, out var uri))
                continue;
            return (wildcard ? "*" : uri.Host, uri.Port);
        }

        return null;
    }

    private static int? FirstPort(string? ports)
    {
        if (string.IsNullOrWhiteSpace(ports))
            return null;
        var first = ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return int.TryParse(first, out var port) ? port : null;
    }

    private static void Check(int port, string key)
    {
        if (port is < 0 or > 65535)
            throw new InvalidOperationException($"KvTransfer:{key} must be 0..65535 (0 = any free port); it is {port}.");
    }

    private static IPAddress? ParseAddress(string? host, bool strict)
    {
        switch (host?.Trim())
        {
            case null or "" or "*" or "+" or "0.0.0.0" or "[::]" or "::":
                return null;
            case var h when h.Equals("localhost", StringComparison.OrdinalIgnoreCase):
                return IPAddress.Loopback;
            case var h when IPAddress.TryParse(h.Trim('[', ']'), out var ip):
                return ip;
            case var h when strict:
                throw new InvalidOperationException($"KvTransfer:ListenAddress '{h}' is not an IP address, 'localhost' or '*'.");
            default:
                // A host name in ASPNETCORE_URLS: Kestrel binds all addresses for those too.
                return null;
        }
    }
}
