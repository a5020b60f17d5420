using System.Diagnostics;
using System.Text.Json;
using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Router.Scheduling;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// P/D orchestration, exactly vLLM's proxy protocol: schedule; prefill (retried once on another prefill engine, then
/// decode-only); decode with the prefill's kv_transfer_params; stream the decode response through. A decode engine that
/// cannot be reached is replaced once; other decode failures before the first byte are OpenAI-shaped 502/503/504.
/// </summary>
public sealed class PdProxy(
    PdProfileHandler handler, PrefillCaller prefillCaller, UpstreamClient upstream, ResponseRelay relay,
    AbandonedLeaseReleaser leases, RouterMetrics metrics, IOptions<RouterOptions> options, TimeProvider time)
{
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>Serves a validated request; returns the route taken ("none" when no engine was chosen).</summary>
    public async Task<string> HandleAsync(
        HttpContext context, ParsedRequest request, JsonElement body, ReadOnlyMemory<byte> rawBody, string requestId, long requestStart)
    {
        var aborted = context.RequestAborted;
        using var activity = RouterActivity.Source.StartActivity("router.request", ActivityKind.Internal);
        activity?.SetTag("disagg.request_id", requestId);
        var scheduling = new SchedulingContext(requestId, request.Prompt, options.Value.BlockSize);

        SchedulingResult plan;
        var scheduleStart = time.GetTimestamp();
        using (RouterActivity.Source.StartActivity("schedule", ActivityKind.Internal))
            plan = await handler.ScheduleAsync(scheduling, aborted).ConfigureAwait(false);
        metrics.ObserveSchedule(time.GetElapsedTime(scheduleStart).TotalSeconds);
        if (plan.Decode is not { } decode)
        {
            metrics.Decision("none", plan.Reason);
            throw new OpenAiException(503, ErrorResponse.Server(
                plan.Reason == DecisionReasons.NoDecode ? "No decode engine is configured or registered." : "No healthy decode engine is available.",
                "no_decode_engine"));
        }

        var route = plan.Route;
        var reason = plan.Reason;
        PrefillOutcome? prefill = null;
        try
        {
            if (plan.Prefill is { } first)
            {
                prefill = await PrefillAsync(request, body, rawBody.Length, scheduling, first, decode, requestId, aborted).ConfigureAwait(false);
                if (prefill.ClientErrorBody is { } error)
                {
                    metrics.Decision(route, reason);
                    await WriteRawAsync(context, prefill.ClientErrorStatus, error).ConfigureAwait(false);
                    return route;
                }
                if (!prefill.Succeeded)
                {
                    metrics.FellBack();
                    route = RouteNames.DecodeOnly;
                    reason = DecisionReasons.PrefillFailed;
                }
            }
            metrics.Decision(route, reason);
            activity?.SetTag("disagg.route", route);
            activity?.SetTag("disagg.reason", reason);
            // Only when scheduling already counted them: tracing must not cost a tokenization.
            if (scheduling.Prompt.KnownTokenCount is { } promptTokens) activity?.SetTag("disagg.prompt_tokens", promptTokens);
            activity?.SetTag("disagg.cached_tokens", scheduling.CachedTokens(decode));
            var kv = prefill is { Succeeded: true } ? prefill.KvTransferParams : (JsonElement?)null;
            if (kv is not null) activity?.SetTag("disagg.prefill_engine", prefill!.Endpoint.Name);
            var taken = false;
            try
            {
                taken = await DecodeAsync(context, request, body, rawBody, kv, prefill, scheduling, decode, route, requestId, requestStart).ConfigureAwait(false);
            }
            finally
            {
                if (!taken && kv is { } leased) _ = leases.Release(leased);
            }
            return route;
        }
        finally
        {
            prefill?.Dispose();
        }
    }

    private async Task<PrefillOutcome> PrefillAsync(
        ParsedRequest request, JsonElement body, int sizeHint, SchedulingContext scheduling, EngineEndpoint first, EngineEndpoint decode,
        string requestId, CancellationToken aborted)
    {
        using var prefillBody = new PooledBuffer(sizeHint + 256);
        using (var writer = new Utf8JsonWriter(prefillBody, PdRequestTransforms.WriterOptions))
            PdRequestTransforms.WritePrefillRequest(body, writer);
        var outcome = await prefillCaller.CallAsync(first, request.Kind, prefillBody.Memory, requestId, aborted).ConfigureAwait(false);
        if (outcome.Succeeded || outcome.ClientErrorBody is not null) return outcome;
        var other = handler.PickPrefillRetry(scheduling, first, decode);
        if (other is null) return outcome;
        metrics.PrefillRetried();
        outcome.Dispose();
        return await prefillCaller.CallAsync(other, request.Kind, prefillBody.Memory, requestId, aborted).ConfigureAwait(false);
    }

    /// <summary>Calls the decode engine and relays its answer; true once a decode engine accepted the request (2xx).</summary>
    private async Task<bool> DecodeAsync(
        HttpContext context, ParsedRequest request, JsonElement body, ReadOnlyMemory<byte> rawBody, JsonElement? kv, PrefillOutcome? prefill,
        SchedulingContext scheduling, EngineEndpoint decode, string route, string requestId, long requestStart)
    {
        var aborted = context.RequestAborted;
        PooledBuffer? rewritten = null;
        try
        {
            var decodeBody = rawBody;
            if (kv is not null || request.HasClientKvTransferParams)
            {
                rewritten = new PooledBuffer(rawBody.Length + 1024);
                using (var writer = new Utf8JsonWriter(rewritten, PdRequestTransforms.WriterOptions))
                    PdRequestTransforms.WriteDecodeRequest(body, kv, writer);
                decodeBody = rewritten.Memory;
            }

            using var activity = RouterActivity.Source.StartActivity("decode", ActivityKind.Internal);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            HttpResponseMessage? response = null;
            var sentAt = 0L;
            for (var attempt = 0; response is null; attempt++)
            {
                activity?.SetTag("disagg.engine", decode.Name);
                deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.DecodeTimeoutMs)));
                sentAt = time.GetTimestamp();
                if (prefill is { Succeeded: true } && attempt == 0)
                    metrics.ObserveHandoff(time.GetElapsedTime(prefill.CompletedTimestamp, sentAt).TotalSeconds);
                decode.Enter();
                try
                {
                    var uri = request.Kind == RequestKind.Chat ? decode.ChatCompletions : decode.Completions;
                    response = await upstream.PostJsonAsync(uri, decodeBody, requestId, deadline.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException ex) when (!aborted.IsCancellationRequested)
                {
                    decode.Exit();
                    decode.MarkError(time.GetTimestamp());
                    metrics.UpstreamError("decode", FailureKinds.Connect);
                    var retry = attempt == 0 && ex.HttpRequestError == HttpRequestError.ConnectionError
                        ? handler.PickDecodeRetry(scheduling, decode)
                        : null;
                    if (retry is null)
                        throw new OpenAiException(502, ErrorResponse.Server($"The decode engine {decode.Name} could not be reached.", "decode_unreachable"));
                    decode = retry;
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    decode.Exit();
                    decode.MarkError(time.GetTimestamp());
                    metrics.UpstreamError("decode", FailureKinds.Timeout);
                    throw new OpenAiException(504, ErrorResponse.Server($"The decode engine {decode.Name} did not answer in time.", "decode_timeout"));
                }
                catch
                {
                    decode.Exit();
                    throw;
                }
            }

            try
            {
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                var status = (int)response.StatusCode;
                activity?.SetTag("http.response.status_code", status);
                SetRouteHeaders(context, requestId, route, decode, kv is null ? null : prefill!.Endpoint);
                if (kv is not null)
                    context.Response.Headers[HeaderNames.ServerTiming] = ServerTiming(time.GetElapsedTime(requestStart, prefill!.CompletedTimestamp));
                if (status >= 500)
                {
                    decode.MarkError(time.GetTimestamp());
                    metrics.UpstreamError("decode", FailureKinds.Status);
                    activity?.SetStatus(ActivityStatusCode.Error, "status " + status);
                    await RelayErrorAsync(context, response, status, decode).ConfigureAwait(false);
                    return false;
                }
                decode.ClearError();
                context.Response.StatusCode = status;
                if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
                var result = await relay.RelayAsync(response, context, route, requestStart, sentAt).ConfigureAwait(false);
                if (result == RelayResult.UpstreamBroke)
                {
                    decode.MarkError(time.GetTimestamp());
                    metrics.UpstreamError("decode", FailureKinds.Connect);
                }
                activity?.SetTag("disagg.relay", result.ToString());
                return status < 300;
            }
            finally
            {
                response.Dispose();
                decode.Exit();
            }
        }
        finally
        {
            rewritten?.Dispose();
        }
    }

    private static void SetRouteHeaders(HttpContext context, string requestId, string route, EngineEndpoint decode, EngineEndpoint? prefill)
    {
        var headers = context.Response.Headers;
        headers[HeaderNames.RequestId] = requestId;
        headers[HeaderNames.Route] = route;
        headers[HeaderNames.DecodeEngine] = decode.Name;
        if (prefill is not null) headers[HeaderNames.PrefillEngine] = prefill.Name;
    }

    /// <summary><c>prefill;dur=…</c> in milliseconds with microsecond precision.</summary>
    internal static string ServerTiming(TimeSpan prefill) =>
        "prefill;dur=" + prefill.TotalMilliseconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task RelayErrorAsync(HttpContext context, HttpResponseMessage response, int status, EngineEndpoint decode)
    {
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            body = [];
        }
        if (body.Length is > 0 and <= MaxErrorBytes && IsOpenAiError(body))
        {
            await WriteRawAsync(context, status, body).ConfigureAwait(false);
            return;
        }
        await ErrorWriter.WriteAsync(context, 502, ErrorResponse.Server(
            $"The decode engine {decode.Name} failed with HTTP {status}.", "decode_failed")).ConfigureAwait(false);
    }

    private static bool IsOpenAiError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task WriteRawAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
