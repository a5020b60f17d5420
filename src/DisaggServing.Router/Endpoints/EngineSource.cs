using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DisaggServing.Router.Endpoints;

/// <summary>
/// One entry of <c>Router:Prefill</c> / <c>Router:Decode</c>: an engine's base URL (<c>http://10.0.0.7:8000</c>), or a DNS
/// name and port (<c>dns:///decode.ns.svc.cluster.local:8000</c>) each of whose addresses is an engine, which is how a
/// Kubernetes headless Service lists its ready pods.
/// </summary>
public sealed record EngineSource
{
    private const string DnsScheme = "dns:";
    private const string DnsExample = "dns:///decode.default.svc.cluster.local:8000";

    private EngineSource(string? address, string? dnsHost, int port)
    {
        Address = address;
        DnsHost = dnsHost;
        Port = port;
    }

    /// <summary>The normalized base URL of a static entry; null for a DNS entry.</summary>
    public string? Address { get; }

    /// <summary>The name a DNS entry resolves (lower case); null for a static entry.</summary>
    public string? DnsHost { get; }

    /// <summary>The engines' port behind a DNS entry; 0 for a static entry.</summary>
    public int Port { get; }

    /// <summary>Whether this entry is resolved periodically.</summary>
    public bool IsDns => DnsHost is not null;

    /// <summary>A static base URL entry.</summary>
    public static EngineSource Static(string address) => new(EngineEndpoint.NormalizeAddress(address), null, 0);

    /// <summary>Whether <paramref name="entry"/> is written in the DNS form (valid or not).</summary>
    public static bool IsDnsForm(string? entry) =>
        entry is not null && entry.TrimStart().StartsWith(DnsScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>dns:///host:port</c>, <c>dns://host:port</c> or an http(s) base URL; see <see cref="TryParse"/>.</summary>
    public static EngineSource Parse(string entry) =>
        TryParse(entry, out var source, out var error) ? source : throw new ArgumentException(error, nameof(entry));

    /// <summary>Parses an entry, or says in <paramref name="error"/> which form was expected.</summary>
    public static bool TryParse(string? entry, [NotNullWhen(true)] out EngineSource? source, [NotNullWhen(false)] out string? error)
    {
        source = null;
        var text = entry?.Trim() ?? "";
        if (!IsDnsForm(text))
        {
            try
            {
                source = Static(text);
                error = null;
                return true;
            }
            catch (ArgumentException)
            {
                error = $"'{entry}' is neither an http(s) base URL such as http://10.0.0.7:8000 nor a DNS entry such as {DnsExample}.";
                return false;
            }
        }

        // gRPC's form is dns:[//authority/]host:port; an empty authority (dns:///) is the usual spelling, and
        // dns://host:port is taken as the same thing since a DNS server override is not supported.
        var rest = text[DnsScheme.Length..];
        rest = rest.StartsWith("///", StringComparison.Ordinal) ? rest[3..] : rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : "";
        var colon = rest.LastIndexOf(':');
        var host = colon > 0 ? rest[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Length == 0 || rest.IndexOfAny(['/', '?', '#', '@']) >= 0
            || Uri.CheckHostName(host) == UriHostNameType.Unknown
            || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{entry}' is not a DNS entry such as {DnsExample} (a host name and a port).";
            return false;
        }
        source = new EngineSource(null, host.ToLowerInvariant(), port);
        error = null;
        return true;
    }

    /// <summary>The base URL of the engine at <paramref name="ip"/> behind this DNS entry.</summary>
    public string AddressOf(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (!IsDns) throw new InvalidOperationException($"{this} is not a DNS entry.");
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        // A URL cannot carry an IPv6 scope id unescaped; engines behind a Service are never link-local anyway.
        var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{new IPAddress(ip.GetAddressBytes())}]" : ip.ToString();
        return EngineEndpoint.NormalizeAddress($"http://{host}:{Port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc />
    public override string ToString() => IsDns ? $"dns:///{(DnsHost!.Contains(':') ? $"[{DnsHost}]" : DnsHost)}:{Port.ToString(CultureInfo.InvariantCulture)}" : Address!;
}
