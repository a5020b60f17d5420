using System.Diagnostics;
using System.Text.Json;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Router.Telemetry;
using DisaggServing.Scheduling;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// One prefill call (vLLM's proxy: the prefill body, same X-Request-Id, a non-streamed one-token answer carrying
/// kv_transfer_params). Connect errors, timeouts, 5xx/408/429 and answers without kv_transfer_params are failures
/// (the caller retries elsewhere, then falls back); other 4xx concern the body and are passed to the client.
/// </summary>
public sealed class PrefillCaller(UpstreamClient upstream, RouterMetrics metrics, IOptions<RouterOptions> options, TimeProvider time)
{
    private const int MaxResponseBytes = 1 << 20;

    /// <summary>Calls <paramref name="endpoint"/> with <paramref name="body"/>; only the client's cancellation throws.</summary>
    public async Task<PrefillOutcome> CallAsync(
        EngineEndpoint endpoint, RequestKind kind, ReadOnlyMemory<byte> body, string requestId, CancellationToken clientAborted)
    {
        using var activity = RouterActivity.Source.StartActivity("prefill", ActivityKind.Internal);
        activity?.SetTag("disagg.engine", endpoint.Name);
        var start = time.GetTimestamp();
        endpoint.Enter();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.PrefillTimeoutMs)));
        try
        {
            var uri = kind == RequestKind.Chat ? endpoint.ChatCompletions : endpoint.Completions;
            using var response = await upstream.PostJsonAsync(uri, body, requestId, deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            if (response.Headers.Contains(Protocol.HeaderNames.Draining))
            {
                // Draining: out of the pool now, not after the next health probe.
                endpoint.Health = EndpointHealth.Unhealthy;
                return Fail(endpoint, FailureKind.Draining, activity);
            }
            if (status >= 500 || status is 408 or 429) return Fail(endpoint, FailureKind.Status, activity);
            if (status >= 300)
            {
                var error = await UpstreamBody.ReadAtMostAsync(response, MaxResponseBytes, deadline.Token).ConfigureAwait(false);
                return PrefillOutcome.ClientError(endpoint, status, error);
            }
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var document = await JsonDocument.ParseAsync(stream, cancellationToken: deadline.Token).ConfigureAwait(false);
            if (!PdRequestTransforms.TryGetKvTransferParams(document.RootElement, out var kv))
            {
                document.Dispose();
                return Fail(endpoint, FailureKind.BadResponse, activity);
            }
            if (endpoint.EngineId is null && kv.TryGetProperty("remote_engine_id", out var id) && id.ValueKind == JsonValueKind.String)
                endpoint.EngineId = id.GetString();
            endpoint.ClearError();
            return PrefillOutcome.Success(endpoint, document, time.GetTimestamp());
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            return Fail(endpoint, FailureKinds.OfCancellation(deadline.Token), activity);
        }
        catch (HttpRequestException ex)
        {
            return Fail(endpoint, FailureKinds.Of(ex), activity);
        }
        catch (IOException) when (!clientAborted.IsCancellationRequested)
        {
            return Fail(endpoint, FailureKind.Reset, activity);
        }
        catch (JsonException)
        {
            return Fail(endpoint, FailureKind.BadResponse, activity);
        }
        finally
        {
            endpoint.Exit();
            metrics.ObservePrefill(time.GetElapsedTime(start).TotalSeconds);
        }
    }

    private PrefillOutcome Fail(EngineEndpoint endpoint, FailureKind kind, Activity? activity)
    {
        endpoint.MarkError(time.GetTimestamp());
        metrics.UpstreamError("prefill", kind.Label());
        activity?.SetStatus(ActivityStatusCode.Error, kind.Label());
        return PrefillOutcome.Failed(endpoint, kind);
    }
}
