using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace DisaggServing.Router.Discovery;

/// <summary>
/// <see cref="IRevisionSource"/> over the Kubernetes API: lists the EndpointSlices labelled
/// <c>disaggregatedset.x-k8s.io/name=&lt;set&gt;</c> (the controller's per-revision Services; an EndpointSlice carries
/// its Service's labels) and maps each address to the slice's <c>disaggregatedset.x-k8s.io/revision</c>. Authenticates
/// with the pod's service-account token, read on every call since the kubelet rotates it.
/// </summary>
public sealed class KubernetesRevisionSource : IRevisionSource
{
    /// <summary>The controller's label with the set's name.</summary>
    public const string SetNameLabel = "disaggregatedset.x-k8s.io/name";

    /// <summary>The controller's label with the revision hash.</summary>
    public const string RevisionLabel = "disaggregatedset.x-k8s.io/revision";

    private readonly HttpClient _http;
    private readonly RevisionOptions _options;
    private readonly Func<string?> _token;

    /// <summary>A source using <paramref name="http"/> (its base address is the API server) and a token reader.</summary>
    public KubernetesRevisionSource(HttpClient http, RevisionOptions options, Func<string?> token)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _token = token;
    }

    /// <summary>A source for a pod: the API server's CA from the service-account directory, the token read from there.</summary>
    public static KubernetesRevisionSource InCluster(RevisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) };
        var ca = Path.Combine(options.ServiceAccountPath, "ca.crt");
        if (File.Exists(ca))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(ca);
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        var tokenPath = Path.Combine(options.ServiceAccountPath, "token");
        var http = new HttpClient(handler) { BaseAddress = new Uri(options.ApiServer), Timeout = TimeSpan.FromSeconds(10) };
        return new KubernetesRevisionSource(http, options, () => File.Exists(tokenPath) ? File.ReadAllText(tokenPath).Trim() : null);
    }

    /// <summary>The namespace: configured, else the pod's own.</summary>
    public static string ResolveNamespace(RevisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Namespace)) return options.Namespace;
        var file = Path.Combine(options.ServiceAccountPath, "namespace");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : throw new InvalidOperationException(
            $"{RevisionOptions.SectionName}:Namespace is not set and {file} does not exist; set the namespace of DisaggregatedSet '{options.DisaggregatedSet}'.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken)
    {
        var ns = Uri.EscapeDataString(ResolveNamespace(_options));
        var selector = Uri.EscapeDataString($"{SetNameLabel}={_options.DisaggregatedSet}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector={selector}");
        if (_token() is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Parse(json.RootElement);
    }

    /// <summary>Address → revision from an <c>EndpointSliceList</c>; slices without a revision label are skipped.</summary>
    public static IReadOnlyDictionary<string, string> Parse(JsonElement list)
    {
        var revisions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!list.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array) return revisions;
        foreach (var slice in items.EnumerateArray())
        {
            if (!slice.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("labels", out var labels)
                || !labels.TryGetProperty(RevisionLabel, out var revision) || revision.GetString() is not { Length: > 0 } value) continue;
            if (!slice.TryGetProperty("endpoints", out var endpoints) || endpoints.ValueKind != JsonValueKind.Array) continue;
            foreach (var endpoint in endpoints.EnumerateArray())
            {
                if (!endpoint.TryGetProperty("addresses", out var addresses) || addresses.ValueKind != JsonValueKind.Array) continue;
                foreach (var address in addresses.EnumerateArray())
                    if (address.GetString() is { Length: > 0 } ip) revisions[ip] = value;
            }
        }

        return revisions;
    }
}
