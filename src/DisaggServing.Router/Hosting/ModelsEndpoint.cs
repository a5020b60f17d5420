using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.Models;
using DisaggServing.Router.Monitoring;
using DisaggServing.Router.Requests;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.Hosting;

/// <summary><c>GET /v1/models</c>: the configured model, else the workers' (asked now if not yet known).</summary>
public sealed class ModelsEndpoint(ModelCatalog models, EndpointMonitor monitor)
{
    /// <summary>Serves the model list.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var list = models.ToModelList();
        if (list is null)
        {
            await monitor.FetchModelsAsync(context.RequestAborted).ConfigureAwait(false);
            list = models.ToModelList();
        }
        if (list is null)
        {
            await ErrorWriter.WriteAsync(context, 503, ErrorResponse.Server("No engine has reported its models yet.", "models_unknown")).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, list, JsonDefaults.Options, context.RequestAborted).ConfigureAwait(false);
    }
}
