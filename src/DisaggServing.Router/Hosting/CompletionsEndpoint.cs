using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Validation;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.FlowControl;
using DisaggServing.Router.Proxy;
using DisaggServing.Router.Requests;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Hosting;

/// <summary>
/// <c>POST /v1/completions</c> and <c>/v1/chat/completions</c>: read the body (size limit), parse and validate it, then
/// hand it to the P/D proxy once flow control admits it. Every error the router makes itself is OpenAI-shaped.
/// </summary>
public sealed partial class CompletionsEndpoint(
    RequestValidator validator, FlowAdmission flow, PdProxy proxy, RouterMetrics metrics, IOptions<RouterOptions> options, TimeProvider time,
    ILogger<CompletionsEndpoint> logger)
{
    private const int MaxRequestIdLength = 256;

    /// <summary>Serves one request of <paramref name="kind"/>.</summary>
    public async Task HandleAsync(HttpContext context, RequestKind kind)
    {
        var start = time.GetTimestamp();
        var route = "none";
        metrics.RequestStarted();
        try
        {
            flow.RefuseEarly(context);
            using var raw = await RequestBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            using var document = OpenAiRequestValidator.Parse(raw.Memory);
            OpenAiRequestValidator.CheckContentType(context.Request.ContentType);
            var request = validator.Validate(document.RootElement, kind);
            var requestId = RequestIdOf(context);
            context.Response.Headers[HeaderNames.RequestId] = requestId;
            using var admitted = await flow.AdmitAsync(context, raw.Length).ConfigureAwait(false);
            route = await proxy.HandleAsync(context, request, document.RootElement, raw.Memory, requestId, start).ConfigureAwait(false);
        }
        catch (OpenAiException ex)
        {
            await ErrorWriter.WriteAsync(context, ex.Status, ex.Error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            ClientGone(context);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            await ErrorWriter.WriteAsync(context, ex.StatusCode, ex.StatusCode == 413
                ? ErrorResponse.TooLarge("The request body is too large.")
                : ErrorResponse.BadRequest(ex.Message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is IOException)
        {
            ClientGone(context);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex);
            if (!context.Response.HasStarted)
                await ErrorWriter.WriteAsync(context, 500, ErrorResponse.Server("The router failed: " + ex.Message)).ConfigureAwait(false);
            else
                context.Abort();
        }
        finally
        {
            metrics.RequestEnded(route, context.Response.StatusCode);
        }
    }

    private static void ClientGone(HttpContext context)
    {
        if (!context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
    }

    private static string RequestIdOf(HttpContext context)
    {
        var given = context.Request.Headers[HeaderNames.RequestId].ToString();
        return given.Length is > 0 and <= MaxRequestIdLength && IsPrintableAscii(given) ? given : Guid.NewGuid().ToString("N");
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
            if (c is < (char)0x21 or > (char)0x7E) return false;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected router failure")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
