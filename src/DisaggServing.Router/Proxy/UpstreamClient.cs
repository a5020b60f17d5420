using System.Net;
using DisaggServing.Protocol;
using DisaggServing.Router.Configuration;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// The router's one connection-pooled HTTP client to the engines (a <see cref="SocketsHttpHandler"/> behind an
/// <see cref="HttpMessageInvoker"/>, as YARP does): no proxy, redirects, cookies or decompression; responses are
/// streamed, never buffered; a response abandoned half-read closes its connection at once, so an engine sees a
/// client's disconnect without delay. Trace context is propagated by the handler's built-in diagnostics.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly string? _authorization;

    /// <summary>A client configured from <paramref name="options"/>.</summary>
    public UpstreamClient(RouterOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromMilliseconds(Math.Max(100, options.ConnectTimeoutMs)),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxResponseDrainSize = 0,
            EnableMultipleHttp2Connections = true,
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        _authorization = string.IsNullOrWhiteSpace(options.WorkerApiKey) ? null : "Bearer " + options.WorkerApiKey.Trim();
    }

    /// <summary>POSTs the JSON <paramref name="body"/> to <paramref name="uri"/> with the request id; returns once headers arrive.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(Uri uri, ReadOnlyMemory<byte> body, string requestId, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation(HeaderNames.RequestId, requestId);
        if (_authorization is not null) request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, _authorization);
        return _invoker.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _invoker.Dispose();
}
