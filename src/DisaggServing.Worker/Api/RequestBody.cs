using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using Microsoft.AspNetCore.Http.Features;

namespace DisaggServing.Worker.Api;

/// <summary>Reads and deserializes a JSON body, turning every way it can be wrong into a 400 (or 413) naming the field.</summary>
public static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                ErrorResponse.TooLarge($"The request body is larger than the {limit?.ToString() ?? "configured"}-byte limit."));
        }
        if (body.Length == 0)
            throw ApiException.BadRequest("The request body is empty; send a JSON object.");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, JsonDefaults.Options);
        }
        catch (JsonException e)
        {
            var param = Param(e.Path);
            var message = e.Path is null or "$"
                ? $"The request body is not valid JSON: {e.Message}"
                : $"Invalid value for '{param}': {e.Message}";
            throw ApiException.BadRequest(message, param);
        }
        return value ?? throw ApiException.BadRequest("The request body must be a JSON object.");
    }

    /// <summary>"$.messages[0].role" → "messages[0].role".</summary>
    private static string? Param(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
