using DisaggServing.Protocol.OpenAi;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DisaggServing.Router.Requests;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.FlowControl;

/// <summary>Reads a request's tenant, priority and deadline from its headers; a malformed header gets a 400 naming it.</summary>
public static class FlowTicketReader
{
    /// <summary>The tenant of requests with neither a tenant header nor an API key.</summary>
    public const string Anonymous = "anonymous";

    private const int MaxTenantLength = 128;
    private const long MaxDeadlineMs = 24L * 3600 * 1000;

    /// <summary>The ticket of <paramref name="request"/>, whose body is <paramref name="bytes"/> long.</summary>
    public static FlowTicket Read(HttpRequest request, FlowControlOptions options, long bytes, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return new FlowTicket(TenantOf(request, options), PriorityOf(request, options), bytes, DeadlineOf(request, options, time));
    }

    private static string TenantOf(HttpRequest request, FlowControlOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TenantHeader) && request.Headers[options.TenantHeader].ToString() is { Length: > 0 } named)
            return "tenant:" + (named.Length > MaxTenantLength ? named[..MaxTenantLength] : named);
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Anonymous;
        var key = authorization.AsSpan(7).Trim();
        if (key.IsEmpty) return Anonymous;
        // A digest, so that the key itself is never held or shown.
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()), digest);
        return "key:" + Convert.ToHexStringLower(digest[..8]);
    }

    /// <summary>The request's priority header (0 when absent); a malformed one is a 400 naming the header.</summary>
    public static int PriorityOf(HttpRequest request, FlowControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var text = request.Headers[options.PriorityHeader].ToString();
        if (text.Length == 0) return 0;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority)
            && priority is >= FlowControlOptions.MinPriority and <= FlowControlOptions.MaxPriority)
            return priority;
        throw OpenAiException.BadRequest(
            $"The {options.PriorityHeader} header must be an integer from {FlowControlOptions.MinPriority} to {FlowControlOptions.MaxPriority} (higher is served first, negative may be shed); got '{Truncate(text)}'.",
            options.PriorityHeader, "invalid_priority");
    }

    private static long? DeadlineOf(HttpRequest request, FlowControlOptions options, TimeProvider time)
    {
        var text = request.Headers[options.DeadlineHeader].ToString();
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= MaxDeadlineMs)
            return time.GetTimestamp() + ms * time.TimestampFrequency / 1000;
        throw OpenAiException.BadRequest(
            $"The {options.DeadlineHeader} header must be a whole number of milliseconds from 1 to {MaxDeadlineMs} (how long you will wait for the request to start); got '{Truncate(text)}'.",
            options.DeadlineHeader, "invalid_deadline");
    }

    private static string Truncate(string value) => value.Length > 32 ? value[..32] + "…" : value;
}
