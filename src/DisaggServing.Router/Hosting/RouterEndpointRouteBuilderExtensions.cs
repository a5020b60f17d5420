using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Scheduling;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace DisaggServing.Router.Hosting;

/// <summary>Maps the router's HTTP surface: the OpenAI endpoints (behind optional API keys), <c>/metrics</c> and a JSON 404.</summary>
public static class RouterEndpointRouteBuilderExtensions
{
    // The fallback catches every unmatched method too: these paths answer 405 there, as vLLM does.
    private static readonly HashSet<string> KnownRoutes = ["/v1/completions", "/v1/chat/completions", "/v1/models", "/metrics"];

    /// <summary>Maps <c>/v1/completions</c>, <c>/v1/chat/completions</c>, <c>/v1/models</c>, <c>/metrics</c>.</summary>
    public static WebApplication MapRouter(this WebApplication app)
    {
        // Build the scheduling profiles now, so a configuration mistake stops the start with its message.
        _ = app.Services.GetRequiredService<EndpointScheduler>();

        var auth = app.Services.GetRequiredService<ApiKeyAuthenticator>();
        if (auth.IsEnabled)
        {
            app.Use((context, next) =>
            {
                if (!context.Request.Path.StartsWithSegments("/v1") || auth.IsAuthorized(context.Request.Headers.Authorization))
                    return next(context);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return ErrorWriter.WriteAsync(context, 401, ErrorResponse.Unauthorized(
                    context.Request.Headers.Authorization.Count == 0
                        ? "You didn't provide an API key. Send it as 'Authorization: Bearer KEY'."
                        : "Incorrect API key provided."));
            });
        }

        var completions = app.Services.GetRequiredService<CompletionsEndpoint>();
        var models = app.Services.GetRequiredService<ModelsEndpoint>();
        var metrics = app.Services.GetRequiredService<RouterMetrics>();
        app.MapPost("/v1/completions", context => completions.HandleAsync(context, RequestKind.Completion));
        app.MapPost("/v1/chat/completions", context => completions.HandleAsync(context, RequestKind.Chat));
        app.MapGet("/v1/models", models.HandleAsync);
        app.MapMetrics("/metrics", metrics.Registry);
        // vLLM (Starlette) answers an unknown route and a known route under another method in its error shape, the
        // HTTP reason phrase as message and type.
        app.MapFallback(context => KnownRoutes.Contains(context.Request.Path.Value ?? "")
            ? ErrorWriter.WriteAsync(context, 405, ErrorResponse.MethodNotAllowed())
            : ErrorWriter.WriteAsync(context, 404, ErrorResponse.RouteNotFound()));
        return app;
    }
}
