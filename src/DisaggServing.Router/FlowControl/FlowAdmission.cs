using System.Globalization;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.Requests;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.FlowControl;

/// <summary>
/// The completions endpoint's admission step: reads the ticket from the request and waits for the controller; a shed
/// request becomes OpenAI's rate-limit error (429, type <c>requests</c>, code <c>rate_limit_exceeded</c>) with
/// <c>Retry-After</c> in seconds and <c>retry-after-ms</c>, which OpenAI's SDKs honour.
/// </summary>
public sealed class FlowAdmission(FlowController controller, FlowControlOptions options, TimeProvider time)
{
    /// <summary>
    /// Before the body is read: refuses at once (429) a request that is certain to be shed, so that an overload costs
    /// neither its body's memory nor its parsing; a malformed priority header is a 400.
    /// </summary>
    public void RefuseEarly(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Enabled) return;
        if (controller.RefuseEarly(FlowTicketReader.PriorityOf(context.Request, options)) is { } shed) throw Refusal(context, shed);
    }

    /// <summary>The lease of the request in <paramref name="context"/> (dispose it when the response ends).</summary>
    public async ValueTask<FlowLease> AdmitAsync(HttpContext context, long bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Enabled) return FlowLease.None;
        var ticket = FlowTicketReader.Read(context.Request, options, bodyBytes, time);
        try
        {
            return await controller.AdmitAsync(ticket, context.RequestAborted).ConfigureAwait(false);
        }
        catch (FlowShedException shed)
        {
            throw Refusal(context, shed);
        }
    }

    private static OpenAiException Refusal(HttpContext context, FlowShedException shed)
    {
        var seconds = (long)shed.RetryAfter.TotalSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["retry-after-ms"] = ((long)shed.RetryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return new OpenAiException(429, new ErrorResponse(new ErrorDetail(MessageOf(shed.Reason, seconds), "requests", null, "rate_limit_exceeded")));
    }

    private static string MessageOf(ShedReason reason, long seconds) => reason switch
    {
        ShedReason.Deadline => $"The server is overloaded: the expected wait is longer than your deadline. Please try again in {seconds}s.",
        ShedReason.Expired => $"The server is overloaded: your request waited past its deadline. Please try again in {seconds}s.",
        ShedReason.Sheddable => $"The server is overloaded and requests of negative priority are not queued. Please try again in {seconds}s.",
        ShedReason.Displaced => $"The server is overloaded: your request gave its place to one of higher priority. Please try again in {seconds}s.",
        _ => $"The server is overloaded: too many requests are waiting. Please try again in {seconds}s.",
    };
}
