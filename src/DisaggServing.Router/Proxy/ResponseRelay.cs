using System.Text;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.Requests;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// Copies a decode engine's response body to the client as it arrives: each read goes straight into the server's
/// output pipe and is flushed, so SSE chunks are not held back and a slow client slows the engine (backpressure)
/// instead of filling memory. Measures TTFT (first byte) and ITL (gap between chunks) at the router.
/// </summary>
public sealed class ResponseRelay(RouterMetrics metrics, TimeProvider time)
{
    private const int ChunkHint = 4096;

    /// <summary>Relays <paramref name="upstream"/>'s body; headers and status must already be set on <paramref name="context"/>.</summary>
    public async Task<RelayResult> RelayAsync(HttpResponseMessage upstream, HttpContext context, string route, long requestStart, long sentAt)
    {
        var aborted = context.RequestAborted;
        var streaming = upstream.Content.Headers.ContentType?.MediaType == "text/event-stream";
        if (streaming) context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        else if (upstream.Content.Headers.ContentLength is { } length) context.Response.ContentLength = length;

        Stream body;
        try { body = await upstream.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false); }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested) { return RelayResult.ClientGone; }

        await using (body.ConfigureAwait(false))
        {
            var writer = context.Response.BodyWriter;
            var last = 0L;
            var first = true;
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(writer.GetMemory(ChunkHint), aborted).ConfigureAwait(false);
                }
                catch (Exception) when (aborted.IsCancellationRequested)
                {
                    return RelayResult.ClientGone;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    await EndBrokenStreamAsync(context, streaming).ConfigureAwait(false);
                    return RelayResult.UpstreamBroke;
                }
                if (read == 0) break;
                var now = time.GetTimestamp();
                if (first)
                {
                    first = false;
                    metrics.ObserveTtft(route, time.GetElapsedTime(requestStart, now).TotalSeconds);
                    metrics.ObserveDecodeFirstToken(time.GetElapsedTime(sentAt, now).TotalSeconds);
                }
                else if (streaming)
                {
                    metrics.ObserveItl(route, time.GetElapsedTime(last, now).TotalSeconds);
                }
                last = now;
                writer.Advance(read);
                try
                {
                    var flushed = await writer.FlushAsync(aborted).ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled) return RelayResult.ClientGone;
                }
                catch (Exception) when (aborted.IsCancellationRequested)
                {
                    return RelayResult.ClientGone;
                }
                catch (IOException)
                {
                    return RelayResult.ClientGone;
                }
            }
        }
        metrics.ObserveE2e(route, time.GetElapsedTime(requestStart).TotalSeconds);
        return RelayResult.Completed;
    }

    private static async Task EndBrokenStreamAsync(HttpContext context, bool streaming)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.ContentLength = null;
            await ErrorWriter.WriteAsync(context, 502, ErrorResponse.Server("The decode engine's response broke before it finished.", "upstream_broken"))
                .ConfigureAwait(false);
            return;
        }
        if (!streaming)
        {
            context.Abort();
            return;
        }
        // vLLM reports errors inside a stream as a data event carrying the error object.
        var error = ErrorWriter.ToJson(ErrorResponse.Server("The decode engine's stream broke before it finished.", "upstream_stream_broken"));
        var payload = new byte[error.Length + 8];
        Encoding.ASCII.GetBytes("data: ", payload);
        error.CopyTo(payload, 6);
        payload[^2] = (byte)'\n';
        payload[^1] = (byte)'\n';
        try { await context.Response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false); }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested) { }
        catch (IOException) { }
    }
}
