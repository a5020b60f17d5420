namespace DisaggServing.Protocol.OpenAi;

/// <summary>
/// A request answered with an OpenAI-shaped error and <see cref="Status"/>: thrown by the shared request validator, the
/// router and the Worker alike, and written by each host's error writer.
/// </summary>
public sealed class OpenAiException(int status, ErrorResponse error) : Exception(error.Error.Message)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The error body.</summary>
    public ErrorResponse Error { get; } = error;

    /// <summary>
    /// 400 as vLLM's serving layer answers a value it refuses (sampling ranges, the context, the vocabulary):
    /// type <c>BadRequestError</c>, code 400.
    /// </summary>
    public static OpenAiException Invalid(string message, string? param = null) =>
        new(400, new ErrorResponse(new ErrorDetail(message, ErrorTypes.VllmBadRequest, param, 400)));

    /// <summary>
    /// 400 as vLLM's request models answer a body of the wrong shape (a type, a missing field, a rule between
    /// fields): type <c>Bad Request</c>, code 400.
    /// </summary>
    public static OpenAiException Schema(string message, string? param = null) =>
        new(400, new ErrorResponse(new ErrorDetail(message, ErrorTypes.VllmSchema, param, 400)));

    /// <summary>404 for a model this server does not serve, worded as vLLM's.</summary>
    public static OpenAiException ModelNotFound(string model) =>
        new(404, new ErrorResponse(new ErrorDetail($"The model `{model}` does not exist.", ErrorTypes.VllmNotFound, "model", 404)));

    /// <summary>400 in OpenAI's legacy shape (<c>invalid_request_error</c> with a string code), for non-OpenAI surfaces.</summary>
    public static OpenAiException BadRequest(string message, string? param = null, string? code = null) =>
        new(400, ErrorResponse.BadRequest(message, param, code));
}
