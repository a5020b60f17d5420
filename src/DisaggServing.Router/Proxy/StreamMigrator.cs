using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Scheduling;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// Relays a decode engine's SSE stream event by event and, when it breaks (the connection drops, the body ends without
/// <c>[DONE]</c>, or the engine sends an error event), continues it on another decode engine: the request again with
/// the generated token ids appended to its prompt (<see cref="ContinuationBody"/>) and the rest of its budget, the
/// client's stream going on with the same id, no text twice or missing, and usage counting what it received. Up to
/// <c>Router:Resilience:MaxMigrations</c> moves per request; past that, or with no engine left, the stream ends with
/// an OpenAI-shaped error event and <c>[DONE]</c>. Measures migration latency (break → first migrated token).
/// </summary>
public sealed partial class StreamMigrator(
    EndpointScheduler handler, EndpointCatalog catalog, UpstreamClient upstream, RouterMetrics metrics, IOptions<RouterOptions> options,
    TimeProvider time, ILogger<StreamMigrator> logger)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private const int MaxTokenizeBytes = 8 * 1024 * 1024;

    private enum PumpEnd { Completed, ClientGone, Broke }

    /// <summary>Relays <paramref name="response"/> (a 2xx SSE answer of <paramref name="engine"/>), migrating as needed.</summary>
    public async Task<RelayResult> RelayAsync(PdExchange exchange, HttpResponseMessage response, EngineEndpoint engine)
    {
        var context = exchange.Context;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stream = new MigratingStream(exchange.Request.Kind, ClientWantsTokenIds(exchange.Body));
        long? brokeAt = null;
        var timing = new Timing(exchange.DecodeSentAt);
        while (true)
        {
            PumpEnd end;
            try
            {
                end = await PumpAsync(exchange, response, stream, brokeAt, timing).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                exchange.Disengage(engine);
            }
            if (end == PumpEnd.Completed)
            {
                metrics.ObserveE2e(exchange.Route, time.GetElapsedTime(exchange.RequestStart).TotalSeconds);
                if (exchange.Migrations > 0) metrics.Migrated("completed");
                return RelayResult.Completed;
            }
            if (end == PumpEnd.ClientGone) return RelayResult.ClientGone;

            brokeAt = time.GetTimestamp();
            engine.MarkError(brokeAt.Value);
            exchange.DecodeFailed(engine);
            metrics.UpstreamError("decode", FailureKind.StreamBroke.Label());
            if (exchange.Migrations >= options.Value.Resilience.MaxMigrations)
            {
                LogGaveUp(logger, exchange.RequestId, exchange.Migrations, "the migration limit");
                metrics.Migrated("limit");
                await EndWithErrorAsync(context, $"The decode engine's stream broke and the request already moved {exchange.Migrations} times (Router:Resilience:MaxMigrations).").ConfigureAwait(false);
                return RelayResult.UpstreamBroke;
            }
            if (ContinuationBody.Remaining(exchange.Request, stream.TokenIds.Count) <= 0)
                return await FinishAsync(context.Response.Body, exchange.Aborted).ConfigureAwait(false) == PumpEnd.Completed ? RelayResult.Completed : RelayResult.ClientGone;
            exchange.Migrations++;
            var next = await ContinueAsync(exchange, stream).ConfigureAwait(false);
            if (next is null)
            {
                if (exchange.Aborted.IsCancellationRequested) return RelayResult.ClientGone;
                LogGaveUp(logger, exchange.RequestId, exchange.Migrations, "no engine could continue it");
                metrics.Migrated("no-engine");
                await EndWithErrorAsync(context, "The decode engine's stream broke and no other engine could continue it.").ConfigureAwait(false);
                return RelayResult.UpstreamBroke;
            }
            (response, engine) = next.Value;
            LogMigrated(logger, exchange.RequestId, engine.Name, stream.TokenIds.Count);
        }
    }

    private sealed class Timing(long sentAt)
    {
        public long SentAt = sentAt;
        public long Last;
        public bool First = true;
    }

    private async Task<PumpEnd> PumpAsync(PdExchange exchange, HttpResponseMessage response, MigratingStream stream, long? brokeAt, Timing timing)
    {
        var aborted = exchange.Aborted;
        var body = exchange.Context.Response.Body;
        Stream upstreamBody;
        try { upstreamBody = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false); }
        catch (Exception) when (aborted.IsCancellationRequested) { return PumpEnd.ClientGone; }
        catch (Exception ex) when (ex is IOException or HttpRequestException) { return PumpEnd.Broke; }

        using var reader = new StreamReader(upstreamBody, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var data = new StringBuilder();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        while (true)
        {
            string? line;
            try { line = await reader.ReadLineAsync(aborted).ConfigureAwait(false); }
            catch (Exception) when (aborted.IsCancellationRequested) { return PumpEnd.ClientGone; }
            catch (Exception ex) when (ex is IOException or HttpRequestException) { return stream.Finished ? await FinishAsync(body, aborted).ConfigureAwait(false) : PumpEnd.Broke; }
            if (line is null) return stream.Finished ? await FinishAsync(body, aborted).ConfigureAwait(false) : PumpEnd.Broke;
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
                continue;
            }
            if (line.Length > 0 || data.Length == 0) continue; // comments and other fields are not relayed
            var payload = data.ToString();
            data.Clear();
            if (payload == "[DONE]")
            {
                return await WriteAsync(body, Done, aborted).ConfigureAwait(false) ? PumpEnd.Completed : PumpEnd.ClientGone;
            }
            JsonObject? chunk;
            try { chunk = JsonNode.Parse(payload) as JsonObject; }
            catch (JsonException) { chunk = null; }
            if (chunk is null || chunk.ContainsKey("error"))
            {
                // vLLM reports a failure inside a stream as an error event: the engine gave up on the request.
                return stream.Finished ? await FinishAsync(body, aborted).ConfigureAwait(false) : PumpEnd.Broke;
            }
            var output = stream.Take(chunk);
            buffer.ResetWrittenCount();
            System.Buffers.BuffersExtensions.Write(buffer, DataPrefix);
            using (var writer = new Utf8JsonWriter(buffer, PdRequestTransforms.WriterOptions)) chunk.WriteTo(writer);
            System.Buffers.BuffersExtensions.Write(buffer, EventEnd);
            if (!await WriteAsync(body, buffer.WrittenMemory, aborted).ConfigureAwait(false)) return PumpEnd.ClientGone;
            var now = time.GetTimestamp();
            if (timing.First)
            {
                timing.First = false;
                metrics.ObserveTtft(exchange.Route, time.GetElapsedTime(exchange.RequestStart, now).TotalSeconds);
                metrics.ObserveDecodeFirstToken(time.GetElapsedTime(timing.SentAt, now).TotalSeconds);
            }
            else
            {
                metrics.ObserveItl(exchange.Route, time.GetElapsedTime(timing.Last, now).TotalSeconds);
            }
            timing.Last = now;
            if (brokeAt is { } broke && output)
            {
                metrics.ObserveMigration(time.GetElapsedTime(broke, now).TotalSeconds);
                brokeAt = null;
            }
        }
    }

    // The output was complete when the engine went: the client still gets a proper end.
    private static async Task<PumpEnd> FinishAsync(Stream body, CancellationToken aborted) =>
        await WriteAsync(body, Done, aborted).ConfigureAwait(false) ? PumpEnd.Completed : PumpEnd.ClientGone;

    private static async Task<bool> WriteAsync(Stream body, ReadOnlyMemory<byte> bytes, CancellationToken aborted)
    {
        try
        {
            await body.WriteAsync(bytes, aborted).ConfigureAwait(false);
            await body.FlushAsync(aborted).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (aborted.IsCancellationRequested || ex is IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts the continuation on another decode engine; null when none answered.</summary>
    private async Task<(HttpResponseMessage, EngineEndpoint)?> ContinueAsync(PdExchange exchange, MigratingStream stream)
    {
        var attempts = options.Value.Resilience.MaxDecodeAttempts;
        var remaining = ContinuationBody.Remaining(exchange.Request, stream.TokenIds.Count);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var engine = PickDecode(exchange);
            if (engine is null) return null;
            exchange.Decode = engine;
            var prompt = await PromptTokensAsync(exchange, engine, stream).ConfigureAwait(false);
            if (exchange.Aborted.IsCancellationRequested) return null;
            if (prompt is null)
            {
                Failed(exchange, engine, FailureKind.Status);
                continue;
            }
            using var body = new PooledBuffer(exchange.RawBody.Length + 8 * (prompt.Count + stream.TokenIds.Count) + 256);
            using (var writer = new Utf8JsonWriter(body, PdRequestTransforms.WriterOptions))
                ContinuationBody.Write(exchange.Body, prompt, stream.TokenIds, remaining, writer);
            exchange.Engage(engine);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(exchange.Aborted);
            try
            {
                deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.DecodeTimeoutMs)));
                var response = await upstream.PostJsonAsync(engine.Completions, body.Memory, exchange.RequestId, deadline.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    stream.Continuing(prompt.Count);
                    exchange.DecodeSentAt = time.GetTimestamp();
                    return (response, engine);
                }
                if (response.Headers.Contains(Protocol.HeaderNames.Draining)) engine.Health = EndpointHealth.Unhealthy;
                response.Dispose();
                Failed(exchange, engine, FailureKind.Status);
            }
            catch (Exception) when (exchange.Aborted.IsCancellationRequested)
            {
                exchange.Disengage(engine);
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                Failed(exchange, engine, ex switch
                {
                    HttpRequestException h => FailureKinds.Of(h),
                    IOException => FailureKind.Reset,
                    _ => FailureKinds.OfCancellation(deadline.Token),
                });
            }
        }
        return null;
    }

    private void Failed(PdExchange exchange, EngineEndpoint engine, FailureKind kind)
    {
        exchange.Disengage(engine);
        exchange.DecodeFailed(engine);
        engine.MarkError(time.GetTimestamp());
        metrics.UpstreamError("decode", kind.Label());
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

    /// <summary>
    /// The original prompt as token ids: the client's own ids, or what <paramref name="engine"/>'s <c>/tokenize</c> makes
    /// of the prompt or conversation (the engine's tokenizer and chat template, not the router's).
    /// </summary>
    private async Task<IReadOnlyList<int>?> PromptTokensAsync(PdExchange exchange, EngineEndpoint engine, MigratingStream stream)
    {
        var request = exchange.Request;
        if (request.Kind == RequestKind.Completion && request.Prompt.Text is null) return request.Prompt.Tokens;
        using var body = new PooledBuffer(exchange.RawBody.Length + 64);
        using (var writer = new Utf8JsonWriter(body, PdRequestTransforms.WriterOptions))
            ContinuationBody.WriteTokenize(exchange.Body, request.Kind, writer);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(exchange.Aborted);
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.PrefillTimeoutMs)));
            using var response = await upstream.PostJsonAsync(new Uri(engine.Address + "/tokenize"), body.Memory, exchange.RequestId, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxTokenizeBytes) return null;
            await using var content = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(content, cancellationToken: deadline.Token).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array) return null;
            var ids = new List<int>(tokens.GetArrayLength());
            foreach (var token in tokens.EnumerateArray())
                if (token.TryGetInt32(out var id)) ids.Add(id);
                else return null;
            return ids;
        }
        catch (Exception ex) when (!exchange.Aborted.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    private static async Task EndWithErrorAsync(HttpContext context, string message)
    {
        // vLLM reports errors inside a stream as a data event carrying the error object, then [DONE].
        var error = ErrorWriter.ToJson(ErrorResponse.Server(message, "upstream_stream_broken"));
        var payload = new byte[DataPrefix.Length + error.Length + EventEnd.Length];
        DataPrefix.CopyTo(payload, 0);
        error.CopyTo(payload, DataPrefix.Length);
        EventEnd.CopyTo(payload, DataPrefix.Length + error.Length);
        if (await WriteAsync(context.Response.Body, payload, context.RequestAborted).ConfigureAwait(false))
            await WriteAsync(context.Response.Body, Done, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool ClientWantsTokenIds(JsonElement body) =>
        body.TryGetProperty(DecodeBody.ReturnTokenIds, out var value) && value.ValueKind == JsonValueKind.True;

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} moved to {Engine} after its stream broke ({Tokens} tokens out)")]
    private static partial void LogMigrated(ILogger logger, string requestId, string engine, int tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} ends with an error after {Migrations} migrations: {Why}")]
    private static partial void LogGaveUp(ILogger logger, string requestId, int migrations, string why);
}
