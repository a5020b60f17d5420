using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using Microsoft.AspNetCore.Http.Features;

namespace DisaggServing.Worker.Api;

/// <summary>Reads a JSON body, turning every way it can be wrong into a 400 (or 413) naming the field.</summary>
public static class RequestBody
{
    /// <summary>The raw body; 413 past Kestrel's limit.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            throw new OpenAiException(StatusCodes.Status413PayloadTooLarge,
                ErrorResponse.TooLarge($"The request body is larger than the {limit?.ToString() ?? "configured"}-byte limit."));
        }
    }

    /// <summary>The body deserialized as <typeparamref name="T"/> (for the non-generation endpoints).</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        var body = await ReadBytesAsync(request).ConfigureAwait(false);
        if (body.Length == 0)
            throw OpenAiException.BadRequest("The request body is empty; send a JSON object.");
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
            throw OpenAiException.BadRequest(message, param);
        }
        return value ?? throw OpenAiException.BadRequest("The request body must be a JSON object.");
    }

    /// <summary>"$.messages[0].role" → "messages[0].role".</summary>
    private static string? Param(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
