using System.Text.Json.Serialization;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>
/// OpenAI's error shape, <c>{"error": {"message", "type", "param", "code"}}</c>, returned with the matching HTTP
/// status by every DisaggServing endpoint.
/// </summary>
public sealed record ErrorResponse(ErrorDetail Error)
{
    /// <summary>400: the body or a field is invalid; <paramref name="param"/> names the field.</summary>
    public static ErrorResponse BadRequest(string message, string? param = null, string? code = null) =>
        new(new ErrorDetail(message, ErrorTypes.InvalidRequest, param, code));

    /// <summary>401: missing or wrong API key.</summary>
    public static ErrorResponse Unauthorized(string message) =>
        new(new ErrorDetail(message, ErrorTypes.Authentication, null, "invalid_api_key"));

    /// <summary>404: unknown model or route.</summary>
    public static ErrorResponse NotFound(string message, string? param = null) =>
        new(new ErrorDetail(message, ErrorTypes.NotFound, param, "model_not_found"));

    /// <summary>404 for a route that does not exist, as vLLM (Starlette) words it.</summary>
    public static ErrorResponse RouteNotFound() => new(new ErrorDetail("Not Found", ErrorTypes.RouteNotFound, null, 404));

    /// <summary>405 for a route that exists under another method, as vLLM (Starlette) words it.</summary>
    public static ErrorResponse MethodNotAllowed() => new(new ErrorDetail("Method Not Allowed", ErrorTypes.MethodNotAllowed, null, 405));

    /// <summary>413: body over the limit.</summary>
    public static ErrorResponse TooLarge(string message) =>
        new(new ErrorDetail(message, ErrorTypes.InvalidRequest, null, "request_too_large"));

    /// <summary>5xx: the server or an upstream failed.</summary>
    public static ErrorResponse Server(string message, string? code = null) =>
        new(new ErrorDetail(message, ErrorTypes.Server, null, code));

    /// <summary>The HTTP status for this error's type.</summary>
    [JsonIgnore]
    public int DefaultStatus => Error.Type switch
    {
        ErrorTypes.Authentication => 401,
        ErrorTypes.NotFound or ErrorTypes.VllmNotFound or ErrorTypes.RouteNotFound => 404,
        ErrorTypes.MethodNotAllowed => 405,
        ErrorTypes.Server => 500,
        _ => Error.Code is "request_too_large" ? 413 : 400,
    };
}
