namespace DisaggServing.Router.Proxy;

/// <summary>
/// How a decode call ended before any byte reached the client: with a response to relay (2xx, or a 4xx about the body),
/// or failed (<see cref="Failure"/>; for a 5xx, its status and body, passed on when no other engine is left).
/// </summary>
public sealed record DecodeCall(HttpResponseMessage? Response, FailureKind? Failure, int Status = 0, byte[]? ErrorBody = null)
{
    /// <summary>A response to relay.</summary>
    public static DecodeCall Answered(HttpResponseMessage response) => new(response, null, (int)response.StatusCode);

    /// <summary>A failure of <paramref name="kind"/>.</summary>
    public static DecodeCall Failed(FailureKind kind, int status = 0, byte[]? body = null) => new(null, kind, status, body);
}
