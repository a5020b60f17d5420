namespace DisaggServing.Router.Proxy;

/// <summary>How an engine call failed (the <c>kind</c> label of the upstream-errors counter is its <see cref="FailureKinds.Label"/>).</summary>
public enum FailureKind
{
    /// <summary>Could not connect (refused, unreachable, DNS).</summary>
    Connect,

    /// <summary>The connection broke before the response's headers (reset, closed).</summary>
    Reset,

    /// <summary>No answer within the deadline.</summary>
    Timeout,

    /// <summary>A 5xx (or 408/429) answer.</summary>
    Status,

    /// <summary>A 503 from an engine that is draining (shutting down): retried elsewhere, and the engine is taken out at once.</summary>
    Draining,

    /// <summary>A 2xx answer that is not usable (not JSON, or no kv_transfer_params).</summary>
    BadResponse,

    /// <summary>The response broke after it had started (a stream cut, an error event inside a stream).</summary>
    StreamBroke,
}

/// <summary>The metric labels of <see cref="FailureKind"/>.</summary>
public static class FailureKinds
{
    /// <summary>The label of <paramref name="kind"/> (<c>connect</c>, <c>reset</c>, <c>timeout</c>, …).</summary>
    public static string Label(this FailureKind kind) => kind switch
    {
        FailureKind.Connect => "connect",
        FailureKind.Reset => "reset",
        FailureKind.Timeout => "timeout",
        FailureKind.Status => "status",
        FailureKind.Draining => "draining",
        FailureKind.BadResponse => "bad-response",
        FailureKind.StreamBroke => "stream-broke",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Connect (nothing reached the engine) or reset (the connection broke before an answer).</summary>
    public static FailureKind Of(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
            ? FailureKind.Connect
            : FailureKind.Reset;

    /// <summary>
    /// A cancellation that is not the client's: <see cref="FailureKind.Timeout"/> when the call's own
    /// <paramref name="deadline"/> fired; otherwise the handler's ConnectTimeout, which SocketsHttpHandler reports as a
    /// cancellation too (an <see cref="OperationCanceledException"/> around a <see cref="TimeoutException"/>): no
    /// connection was made, so nothing reached the engine and it is a <see cref="FailureKind.Connect"/> failure, as
    /// safe to retry on another engine as a refused connection.
    /// </summary>
    public static FailureKind OfCancellation(CancellationToken deadline) =>
        deadline.IsCancellationRequested ? FailureKind.Timeout : FailureKind.Connect;
}
