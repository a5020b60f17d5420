using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Api;

/// <summary>
/// Makes every HTTP error OpenAI-shaped: <see cref="ApiException"/> as its status, anything unexpected as 500,
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
            catch (ApiException e) when (!context.Response.HasStarted)
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
            if (response.StatusCode == StatusCodes.Status404NotFound)
                await ApiResponses.WriteErrorAsync(response, 404, new ErrorResponse(new ErrorDetail(
                    $"Not found: {status.HttpContext.Request.Method} {status.HttpContext.Request.Path}.", ErrorTypes.NotFound, null, "not_found"))).ConfigureAwait(false);
            else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
                await ApiResponses.WriteErrorAsync(response, 405, ErrorResponse.BadRequest(
                    $"Method {status.HttpContext.Request.Method} is not allowed on {status.HttpContext.Request.Path}.", null, "method_not_allowed")).ConfigureAwait(false);
        });
        return app;
    }
}
