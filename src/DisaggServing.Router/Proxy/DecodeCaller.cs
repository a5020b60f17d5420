using System.Diagnostics;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Router.Telemetry;
using DisaggServing.Scheduling;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// One decode call of an exchange, up to the response's headers: the client's body with the prefill's
/// kv_transfer_params (and return_token_ids when the stream may have to migrate). Failures come back as a
/// <see cref="DecodeCall"/> (nothing has reached the client yet, so the caller may try another engine); only the
/// client's cancellation throws. The exchange counts the request in flight on the engine while the response lives.
/// </summary>
public sealed class DecodeCaller(UpstreamClient upstream, RouterMetrics metrics, IOptions<RouterOptions> options, TimeProvider time)
{
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>Calls <paramref name="decode"/> for <paramref name="exchange"/>.</summary>
    public async Task<DecodeCall> CallAsync(PdExchange exchange, EngineEndpoint decode, bool returnTokenIds)
    {
        var aborted = exchange.Aborted;
        var kv = exchange.KvTransferParams;
        PooledBuffer? rewritten = null;
        try
        {
            var body = exchange.RawBody;
            if (kv is not null || exchange.Request.HasClientKvTransferParams || returnTokenIds)
            {
                rewritten = new PooledBuffer(body.Length + 1024);
                using (var writer = new System.Text.Json.Utf8JsonWriter(rewritten, PdRequestTransforms.WriterOptions))
                    DecodeBody.Write(exchange.Body, kv, returnTokenIds, writer);
                body = rewritten.Memory;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.DecodeTimeoutMs)));
            var uri = exchange.Request.Kind == RequestKind.Chat ? decode.ChatCompletions : decode.Completions;
            exchange.DecodeSentAt = time.GetTimestamp();
            exchange.Engage(decode);
            HttpResponseMessage response;
            try
            {
                response = await upstream.PostJsonAsync(uri, body, exchange.RequestId, deadline.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!aborted.IsCancellationRequested)
            {
                return Fail(exchange, decode, FailureKinds.Of(ex));
            }
            catch (IOException) when (!aborted.IsCancellationRequested)
            {
                return Fail(exchange, decode, FailureKind.Reset);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                return Fail(exchange, decode, FailureKinds.OfCancellation(deadline.Token));
            }
            catch
            {
                exchange.Disengage(decode);
                throw;
            }

            var status = (int)response.StatusCode;
            if (status < 500) return DecodeCall.Answered(response);
            using (response)
            {
                var draining = response.Headers.Contains(HeaderNames.Draining);
                // Draining: out of the pool now, not after the next health probe.
                if (draining) decode.Health = EndpointHealth.Unhealthy;
                var error = await ReadErrorAsync(response, aborted).ConfigureAwait(false);
                return Fail(exchange, decode, draining ? FailureKind.Draining : FailureKind.Status, status, error);
            }
        }
        finally
        {
            rewritten?.Dispose();
        }
    }

    private DecodeCall Fail(PdExchange exchange, EngineEndpoint decode, FailureKind kind, int status = 0, byte[]? body = null)
    {
        exchange.Disengage(decode);
        exchange.DecodeFailed(decode);
        decode.MarkError(time.GetTimestamp());
        metrics.UpstreamError("decode", kind.Label());
        Activity.Current?.AddEvent(new ActivityEvent("decode_failed", tags: new ActivityTagsCollection { ["disagg.engine"] = decode.Name, ["disagg.failure"] = kind.Label() }));
        return DecodeCall.Failed(kind, status, body);
    }

    private static async Task<byte[]> ReadErrorAsync(HttpResponseMessage response, CancellationToken aborted)
    {
        try
        {
            return await UpstreamBody.ReadAtMostAsync(response, MaxErrorBytes, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && ex is IOException or HttpRequestException)
        {
            return [];
        }
    }
}
