using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DisaggServing.VllmStandIn;

/// <summary>Appends each completion request (path and JSON body) as one line to a file, so tests see what the router sent.</summary>
internal sealed class RequestRecorder(string path)
{
    private readonly Lock _gate = new();

    public async Task Record(HttpContext context, Func<Task> next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            context.Request.Body.Position = 0;
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                json = body;
            }

            var line = new JsonObject { ["path"] = context.Request.Path.Value, ["body"] = json }.ToJsonString();
            lock (_gate) File.AppendAllText(path, line + "\n");
        }

        await next().ConfigureAwait(false);
    }
}
