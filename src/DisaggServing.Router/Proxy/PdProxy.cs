using System.Diagnostics;
using System.Text.Json;
using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Scheduling;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// P/D orchestration, vLLM's proxy protocol, over one <see cref="PdExchange"/> per request: schedule; prefill (retried
/// once on another prefill engine, then decode-only); decode with the prefill's kv_transfer_params. A decode call that
/// fails before its first byte reaches the client (connect error, reset, 5xx, a draining engine) is retried on another
/// decode engine, with the same kv_transfer_params while the lease may live (<c>Router:Resilience:LeaseReuseMs</c>),
/// else after a new prefill. A stream that breaks later moves to another engine (<see cref="StreamMigrator"/>); a
/// non-streamed answer that breaks is retried whole.
/// </summary>
public sealed class PdProxy(
    EndpointScheduler handler, EndpointCatalog catalog, PrefillCaller prefillCaller, DecodeCaller decodeCaller, StreamMigrator migrator,
    ResponseRelay relay, AbandonedLeaseReleaser leases, RouterMetrics metrics, IOptions<RouterOptions> options, TimeProvider time)
{
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>Serves a validated request; returns the route taken ("none" when no engine was chosen).</summary>
    public async Task<string> HandleAsync(
        HttpContext context, ParsedRequest request, JsonElement body, ReadOnlyMemory<byte> rawBody, string requestId, long requestStart)
    {
        using var activity = RouterActivity.Source.StartActivity("router.request", ActivityKind.Internal);
        activity?.SetTag("disagg.request_id", requestId);
        var scheduling = new SchedulingContext(requestId, request.Prompt, options.Value.BlockSize);
        using var exchange = new PdExchange(context, request, body, rawBody, requestId, requestStart, scheduling, leases);

        SchedulingResult<EngineEndpoint> plan;
        var scheduleStart = time.GetTimestamp();
        using (RouterActivity.Source.StartActivity("schedule", ActivityKind.Internal))
            plan = await handler.ScheduleAsync(scheduling, exchange.Aborted).ConfigureAwait(false);
        metrics.ObserveSchedule(time.GetElapsedTime(scheduleStart).TotalSeconds);
        if (plan.Decode is not { } decode)
        {
            metrics.Decision("none", plan.Reason);
            throw new OpenAiException(503, ErrorResponse.Server(
                plan.Reason == DecisionReason.NoDecode ? "No decode engine is configured or registered." : "No healthy decode engine is available.",
                "no_decode_engine"));
        }
        exchange.Decode = decode;
        exchange.Route = plan.Route;
        exchange.Reason = plan.Reason;

        if (plan.Prefill is { } first && !await PrefillAsync(exchange, first).ConfigureAwait(false))
            return exchange.Route;
        metrics.Decision(exchange.Route, exchange.Reason);
        activity?.SetTag("disagg.route", exchange.Route);
        activity?.SetTag("disagg.reason", exchange.Reason.Label());
        // Only when scheduling already counted them: tracing must not cost a tokenization.
        if (scheduling.KnownPromptTokens is { } promptTokens) activity?.SetTag("disagg.prompt_tokens", promptTokens);
        activity?.SetTag("disagg.cached_tokens", scheduling.CachedTokens(decode));
        if (exchange.KvTransferParams is not null) activity?.SetTag("disagg.prefill_engine", exchange.Prefill!.Endpoint.Name);
        await DecodeAsync(exchange).ConfigureAwait(false);
        return exchange.Route;
    }

    /// <summary>Prefills on <paramref name="first"/>, else on another prefill engine; false when the engine's 4xx went to the client.</summary>
    private async Task<bool> PrefillAsync(PdExchange exchange, EngineEndpoint first)
    {
        var outcome = await CallPrefillAsync(exchange, first).ConfigureAwait(false);
        if (!outcome.Succeeded && outcome.ClientErrorBody is null && handler.PickPrefillRetry(exchange.Scheduling, first, exchange.Decode!) is { } other)
        {
            metrics.PrefillRetried();
            outcome.Dispose();
            outcome = await CallPrefillAsync(exchange, other).ConfigureAwait(false);
        }
        exchange.Prefill = outcome;
        if (outcome.ClientErrorBody is { } error)
        {
            metrics.Decision(exchange.Route, exchange.Reason);
            await WriteRawAsync(exchange.Context, outcome.ClientErrorStatus, error).ConfigureAwait(false);
            return false;
        }
        if (!outcome.Succeeded)
        {
            metrics.FellBack();
            exchange.Route = RouteNames.DecodeOnly;
            exchange.Reason = DecisionReason.PrefillFailed;
        }
        return true;
    }

    private async Task<PrefillOutcome> CallPrefillAsync(PdExchange exchange, EngineEndpoint endpoint)
    {
        using var prefillBody = new PooledBuffer(exchange.RawBody.Length + 256);
        using (var writer = new Utf8JsonWriter(prefillBody, PdRequestTransforms.WriterOptions))
            PdRequestTransforms.WritePrefillRequest(exchange.Body, writer);
        return await prefillCaller.CallAsync(endpoint, exchange.Request.Kind, prefillBody.Memory, exchange.RequestId, exchange.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Before a retry on <see cref="PdExchange.Decode"/>: the prefill's KV may be reused while its lease may live and no
    /// decode engine took it; otherwise a new prefill (decode-only when none succeeds).
    /// </summary>
    private async Task RefreshPrefillAsync(PdExchange exchange)
    {
        if (exchange.Prefill is not { } previous) return;
        var fresh = previous.Succeeded && !exchange.KvTaken
            && time.GetElapsedTime(previous.CompletedTimestamp) < TimeSpan.FromMilliseconds(options.Value.Resilience.LeaseReuseMs);
        if (fresh) return;
        var pool = catalog.Prefill.Snapshot;
        var candidates = new List<EngineEndpoint>(pool.Length);
        foreach (var endpoint in pool)
            if (!ReferenceEquals(endpoint, exchange.Decode)) candidates.Add(endpoint);
        var prefillEngine = candidates.Count == 0 ? null : handler.PrefillProfile.Pick(exchange.Scheduling, candidates);
        exchange.Prefill = null;
        if (prefillEngine is null)
        {
            exchange.Route = RouteNames.DecodeOnly;
            return;
        }
        var outcome = await CallPrefillAsync(exchange, prefillEngine).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            exchange.Prefill = outcome;
            exchange.Route = RouteNames.Pd;
        }
        else
        {
            outcome.Dispose();
            exchange.Route = RouteNames.DecodeOnly;
        }
    }

    /// <summary>Calls decode engines until one answers, then relays its answer.</summary>
    private async Task DecodeAsync(PdExchange exchange)
    {
        using var activity = RouterActivity.Source.StartActivity("decode", ActivityKind.Internal);
        var resilience = options.Value.Resilience;
        var streaming = exchange.Request.Stream && resilience.MaxMigrations > 0;
        for (var attempt = 1; ; attempt++)
        {
            var decode = exchange.Decode!;
            activity?.SetTag("disagg.engine", decode.Name);
            if (attempt == 1 && exchange.Prefill is { Succeeded: true } prefill)
                metrics.ObserveHandoff(time.GetElapsedTime(prefill.CompletedTimestamp, time.GetTimestamp()).TotalSeconds);
            var call = await decodeCaller.CallAsync(exchange, decode, returnTokenIds: streaming).ConfigureAwait(false);
            if (call.Response is { } response)
            {
                if (await AnswerAsync(exchange, response, decode, streaming, activity).ConfigureAwait(false)) return;
                // A non-streamed answer broke before it reached the client: retried whole, from a new prefill.
                if (exchange.Migrations >= resilience.MaxMigrations || PickDecode(exchange) is not { } again)
                    throw new OpenAiException(502, ErrorResponse.Server($"The decode engine {decode.Name}'s answer broke before it finished.", "upstream_broken"));
                exchange.Migrations++;
                metrics.DecodeRetried(FailureKind.StreamBroke.Label());
                exchange.Decode = again;
                await RefreshPrefillAsync(exchange).ConfigureAwait(false);
                continue;
            }

            var kind = call.Failure!.Value;
            activity?.AddEvent(new ActivityEvent("decode_failed", tags: new ActivityTagsCollection { ["disagg.engine"] = decode.Name, ["disagg.failure"] = kind.Label() }));
            var next = kind == FailureKind.Timeout || attempt >= resilience.MaxDecodeAttempts ? null : PickDecode(exchange);
            if (next is null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, kind.Label());
                await GiveUpAsync(exchange, decode, call).ConfigureAwait(false);
                return;
            }
            metrics.DecodeRetried(kind.Label());
            exchange.Decode = next;
            await RefreshPrefillAsync(exchange).ConfigureAwait(false);
        }
    }

    /// <summary>Relays a decode answer; false when a non-streamed answer broke before any of it reached the client.</summary>
    private async Task<bool> AnswerAsync(PdExchange exchange, HttpResponseMessage response, EngineEndpoint decode, bool streaming, Activity? activity)
    {
        var context = exchange.Context;
        var status = (int)response.StatusCode;
        activity?.SetTag("http.response.status_code", status);
        if (status < 300 && exchange.KvTransferParams is not null) exchange.KvTaken = true;
        decode.ClearError();
        SetRouteHeaders(exchange, decode);
        var sse = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        if (streaming && status < 300 && sse)
        {
            var streamed = await migrator.RelayAsync(exchange, response, decode).ConfigureAwait(false);
            activity?.SetTag("disagg.relay", streamed.ToString());
            return true;
        }
        try
        {
            if (sse || status >= 300)
            {
                context.Response.StatusCode = status;
                if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
                var result = await relay.RelayAsync(response, context, exchange.Route, exchange.RequestStart, exchange.DecodeSentAt).ConfigureAwait(false);
                if (result == RelayResult.UpstreamBroke)
                {
                    decode.MarkError(time.GetTimestamp());
                    metrics.UpstreamError("decode", FailureKind.StreamBroke.Label());
                }
                activity?.SetTag("disagg.relay", result.ToString());
                return true;
            }
            var whole = await ReadWholeAsync(response, exchange).ConfigureAwait(false);
            if (whole is null)
            {
                decode.MarkError(time.GetTimestamp());
                exchange.DecodeFailed(decode);
                metrics.UpstreamError("decode", FailureKind.StreamBroke.Label());
                return false;
            }
            var now = time.GetTimestamp();
            metrics.ObserveTtft(exchange.Route, time.GetElapsedTime(exchange.RequestStart, now).TotalSeconds);
            metrics.ObserveDecodeFirstToken(time.GetElapsedTime(exchange.DecodeSentAt, now).TotalSeconds);
            context.Response.StatusCode = status;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            context.Response.ContentLength = whole.Length;
            await context.Response.Body.WriteAsync(whole, exchange.Aborted).ConfigureAwait(false);
            metrics.ObserveE2e(exchange.Route, time.GetElapsedTime(exchange.RequestStart).TotalSeconds);
            return true;
        }
        finally
        {
            response.Dispose();
            exchange.Disengage(decode);
        }
    }

    /// <summary>The whole body of a non-streamed answer; null when it broke.</summary>
    private async Task<byte[]?> ReadWholeAsync(HttpResponseMessage response, PdExchange exchange)
    {
        var limit = options.Value.Resilience.MaxBufferedResponseBytes;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(exchange.Aborted).ConfigureAwait(false);
            using var buffer = new PooledBuffer(4096);
            while (true)
            {
                if (buffer.Length >= limit)
                    throw new OpenAiException(502, ErrorResponse.Server($"The decode engine's answer is larger than {limit} bytes (Router:Resilience:MaxBufferedResponseBytes).", "upstream_too_large"));
                var read = await stream.ReadAsync(buffer.GetMemory(8192), exchange.Aborted).ConfigureAwait(false);
                if (read == 0) break;
                buffer.Advance(read);
            }
            return buffer.Memory.ToArray();
        }
        catch (Exception ex) when (!exchange.Aborted.IsCancellationRequested && ex is IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>No other decode engine: the last engine's OpenAI error (5xx) or the router's own 502/504.</summary>
    private async Task GiveUpAsync(PdExchange exchange, EngineEndpoint decode, DecodeCall call)
    {
        var context = exchange.Context;
        switch (call.Failure)
        {
            case FailureKind.Timeout:
                throw new OpenAiException(504, ErrorResponse.Server($"The decode engine {decode.Name} did not answer in time.", "decode_timeout"));
            case FailureKind.Status or FailureKind.Draining when call.ErrorBody is { Length: > 0 and <= MaxErrorBytes } body && IsOpenAiError(body):
                SetRouteHeaders(exchange, decode);
                await WriteRawAsync(context, call.Status, body).ConfigureAwait(false);
                return;
            case FailureKind.Status or FailureKind.Draining:
                throw new OpenAiException(502, ErrorResponse.Server($"The decode engine {decode.Name} failed with HTTP {call.Status}.", "decode_failed"));
            default:
                throw new OpenAiException(502, ErrorResponse.Server($"The decode engine {decode.Name} could not be reached.", "decode_unreachable"));
        }
    }

    /// <summary>A decode engine that has not failed this request, as the decode profile ranks them.</summary>
    private EngineEndpoint? PickDecode(PdExchange exchange)
    {
        var pool = catalog.Decode.Snapshot;
        var remaining = new List<EngineEndpoint>(pool.Length);
        foreach (var endpoint in pool)
            if (!exchange.FailedDecodes.Contains(endpoint)) remaining.Add(endpoint);
        return remaining.Count == 0 ? null : handler.DecodeProfile.Pick(exchange.Scheduling, remaining);
    }

    private void SetRouteHeaders(PdExchange exchange, EngineEndpoint decode)
    {
        var headers = exchange.Context.Response.Headers;
        if (exchange.Context.Response.HasStarted) return;
        headers[HeaderNames.RequestId] = exchange.RequestId;
        headers[HeaderNames.Route] = exchange.Route;
        headers[HeaderNames.DecodeEngine] = decode.Name;
        if (exchange.KvTransferParams is not null && exchange.Prefill is { } prefill)
        {
            headers[HeaderNames.PrefillEngine] = prefill.Endpoint.Name;
            headers[HeaderNames.ServerTiming] = ServerTiming(time.GetElapsedTime(exchange.RequestStart, prefill.CompletedTimestamp));
        }
    }

    /// <summary><c>prefill;dur=…</c> in milliseconds with microsecond precision.</summary>
    internal static string ServerTiming(TimeSpan prefill) =>
        "prefill;dur=" + prefill.TotalMilliseconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

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
