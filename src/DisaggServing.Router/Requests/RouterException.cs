using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Router.Requests;

/// <summary>A request the router answers itself with an OpenAI-shaped error and <see cref="Status"/>.</summary>
public sealed class RouterException(int status, ErrorResponse error) : Exception(error.Error.Message)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The error body.</summary>
    public ErrorResponse Error { get; } = error;

    /// <summary>400 invalid_request_error naming <paramref name="param"/>.</summary>
    public static RouterException BadRequest(string message, string? param = null, string? code = null) =>
        new(400, ErrorResponse.BadRequest(message, param, code));
}
