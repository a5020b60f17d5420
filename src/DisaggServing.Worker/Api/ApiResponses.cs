using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Api;

/// <summary>Writes JSON bodies with the OpenAI/vLLM settings (snake_case, nulls omitted).</summary>
public static class ApiResponses
{
    public static async Task WriteJsonAsync(HttpResponse response, object body, int status = StatusCodes.Status200OK)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), JsonDefaults.Options, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpResponse response, int status, ErrorResponse error) => WriteJsonAsync(response, error, status);

    public static Task WriteErrorAsync(HttpResponse response, OpenAiException e) => WriteErrorAsync(response, e.Status, e.Error);
}
