using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Api;

/// <summary>
/// Makes every HTTP error OpenAI-shaped: <see cref="OpenAiException"/> as its status, anything unexpected as 500,
/// and bodiless 404/405 (unknown route, wrong method) as JSON.
/// </summary>
public static class OpenAiErrorMiddleware
{
    public static IApplicationBuilder UseOpenAiErrors(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (OpenAiException e) when (!context.Response.HasStarted)
            {
                await ApiResponses.WriteErrorAsync(context.Response, e).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && e is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenAiErrorMiddleware)).LogError(e, "Unhandled error on {Path}", context.Request.Path);
                await ApiResponses.WriteErrorAsync(context.Response, StatusCodes.Status500InternalServerError,
                    ErrorResponse.Server("Internal server error.")).ConfigureAwait(false);
            }
        });
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            // As vLLM (Starlette) answers them: the HTTP reason phrase as message and type, the status as code.
            if (response.StatusCode == StatusCodes.Status404NotFound)
                await ApiResponses.WriteErrorAsync(response, 404, ErrorResponse.RouteNotFound()).ConfigureAwait(false);
            else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
                await ApiResponses.WriteErrorAsync(response, 405, ErrorResponse.MethodNotAllowed()).ConfigureAwait(false);
        });
        return app;
    }
}
