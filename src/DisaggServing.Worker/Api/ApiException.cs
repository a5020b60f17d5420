using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Api;

/// <summary>A request the API refuses: an OpenAI-shaped error with its HTTP status.</summary>
public sealed class ApiException(int status, ErrorResponse error) : Exception(error.Error.Message)
{
    public int Status { get; } = status;

    public ErrorResponse Error { get; } = error;

    public static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, ErrorResponse.BadRequest(message, param, code));
}
