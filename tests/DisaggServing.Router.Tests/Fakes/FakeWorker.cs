using System.Text.Json;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>
/// A minimal engine speaking vLLM's surface and its P/D params: prefill requests (do_remote_decode) get a one-token answer
/// with kv_transfer_params naming this worker; other requests get a completion or an SSE stream. Faults can be injected.
/// </summary>
public sealed class FakeWorker : IAsyncDisposable
{
    private WebApplication? _app;
    private int _failNext;

    private FakeWorker(string name) => Name = name;

    public string Name { get; }
    public string Url { get; private set; } = "";
    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    /// <summary>Request ids of the /tokenize calls.</summary>
    public ConcurrentQueue<string> Tokenized { get; } = new();

    /// <summary>The id of generated token <c>i</c> (its text is <c>tok{i} </c>); a token-id prompt holding k of them continues at k.</summary>
    public const int FirstOutputId = 1000;
    public string ModelId { get; set; } = "test-model";
    public int? MaxModelLen { get; set; }
    public int FailStatus { get; set; } = 500;
    public bool FailWithOpenAiBody { get; set; } = true;
    public bool OmitKvTransferParams { get; set; }
    public bool Healthy { get; set; } = true;
    /// <summary>How long <c>/health</c> takes to answer (a busy host).</summary>
    public TimeSpan HealthDelay { get; set; }
    public bool HoldStream { get; set; }
    /// <summary>Streams break (connection reset) after the first token, once the test calls <see cref="ReleaseBreak"/>.</summary>
    public bool BreakStream { get; set; }
    public int KvPort { get; set; } = 7000;
    public double Waiting { get; set; }
    public double Running { get; set; }
    public double KvUsage { get; set; }
    public TaskCompletionSource Aborted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A <see cref="BreakStream"/> stream has sent its first token and waits for <see cref="ReleaseBreak"/>.</summary>
    public TaskCompletionSource StreamPaused { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskCompletionSource _breakReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets a <see cref="BreakStream"/> stream break now (the test calls it once its client has bytes in hand).</summary>
    public void ReleaseBreak() => _breakReleased.TrySetResult();

    public int FailNext { set => Volatile.Write(ref _failNext, value); }

    /// <summary>When set, <c>/v1/models</c> answers 401 unless the request carries <c>Bearer</c> this key (vLLM's <c>--api-key</c>).</summary>
    public string? RequiredKey { get; set; }

    public static async Task<FakeWorker> StartAsync(string name)
    {
        var worker = new FakeWorker(name);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/completions", context => worker.CompleteAsync(context, chat: false));
        app.MapPost("/v1/chat/completions", context => worker.CompleteAsync(context, chat: true));
        // vLLM's /tokenize: the fake renders every prompt as the same three token ids.
        app.MapPost("/tokenize", context =>
        {
            worker.Tokenized.Enqueue(context.Request.Headers["X-Request-Id"].ToString());
            return WriteJsonAsync(context, new JsonObject { ["count"] = 3, ["max_model_len"] = 4096, ["tokens"] = new JsonArray(1, 2, 3) });
        });
        app.MapGet("/health", async context =>
        {
            if (worker.HealthDelay > TimeSpan.Zero) await Task.Delay(worker.HealthDelay, context.RequestAborted);
            context.Response.StatusCode = worker.Healthy ? 200 : 503;
        });
        app.MapGet("/metrics", context => context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{{model_name=\"{worker.ModelId}\"}} {worker.Waiting}\n" +
            $"vllm:num_requests_running{{model_name=\"{worker.ModelId}\"}} {worker.Running}\nvllm:kv_cache_usage_perc{{model_name=\"{worker.ModelId}\"}} {worker.KvUsage}\n")));
        app.MapGet("/v1/models", context =>
        {
            if (worker.RequiredKey is { } key && context.Request.Headers.Authorization.ToString() != "Bearer " + key)
            {
                context.Response.StatusCode = 401; // as vLLM with --api-key
                return Task.CompletedTask;
            }

            var card = new JsonObject { ["id"] = worker.ModelId, ["object"] = "model", ["created"] = 1, ["owned_by"] = "fake" };
            if (worker.MaxModelLen is { } len) card["max_model_len"] = len;
            return WriteJsonAsync(context, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(card) });
        });
        await app.StartAsync();
        worker._app = app;
        worker.Url = app.Urls.First().TrimEnd('/');
        return worker;
    }

    public IEnumerable<ReceivedCall> CallsFor(string requestId) => Calls.Where(c => c.RequestId == requestId);

    public void Reset()
    {
        Calls.Clear();
        FailNext = 0;
        FailStatus = 500;
        FailWithOpenAiBody = true;
        OmitKvTransferParams = false;
        Healthy = true;
        HealthDelay = TimeSpan.Zero;
        HoldStream = false;
        BreakStream = false;
        Aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StreamPaused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _breakReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// The body as vLLM reads it: duplicate keys keep the last, deep nesting is fine, and (below) numbers and flags
    /// arrive in pydantic's lax forms ("8", 8.0, "true").
    /// </summary>
    private static async Task<JsonObject> ReadLaxAsync(HttpRequest request)
    {
        var options = new JsonDocumentOptions { MaxDepth = 1000 };
        using var document = await JsonDocument.ParseAsync(request.Body, options);
        var body = new JsonObject();
        foreach (var property in document.RootElement.EnumerateObject())
            body[property.Name] = JsonNode.Parse(property.Value.GetRawText(), documentOptions: options);
        return body;
    }

    private static int? Number(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => (int)node.GetValue<double>(),
        JsonValueKind.String when double.TryParse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var n) => (int)n,
        _ => null,
    };

    private static bool Flag(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => node.GetValue<double>() == 1,
        JsonValueKind.String => node.GetValue<string>().ToLowerInvariant() is "1" or "on" or "t" or "true" or "y" or "yes",
        _ => false,
    };

    private async Task CompleteAsync(HttpContext context, bool chat)
    {
        var body = await ReadLaxAsync(context.Request);
        var requestId = context.Request.Headers["X-Request-Id"].ToString();
        Calls.Enqueue(new ReceivedCall(context.Request.Path, requestId, context.Request.Headers["traceparent"].FirstOrDefault(),
            context.Request.Headers.Authorization.FirstOrDefault(), body));
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = FailStatus;
            if (FailWithOpenAiBody)
                await WriteJsonAsync(context, new JsonObject
                {
                    ["error"] = new JsonObject { ["message"] = $"{Name} failed on purpose", ["type"] = FailStatus >= 500 ? "server_error" : "invalid_request_error", ["param"] = null, ["code"] = null },
                });
            else
                await context.Response.WriteAsync("boom");
            return;
        }
        Interlocked.Exchange(ref _failNext, 0);

        var id = (chat ? "chatcmpl-" : "cmpl-") + requestId;
        var model = body["model"]?.GetValue<string>() is { Length: > 0 } named ? named : ModelId;
        if (body["kv_transfer_params"]?["do_remote_decode"]?.GetValue<bool>() == true)
        {
            var response = Whole(chat, id, model, "A", 1, "length");
            if (!OmitKvTransferParams)
                response["kv_transfer_params"] = new JsonObject
                {
                    ["do_remote_prefill"] = true,
                    ["do_remote_decode"] = false,
                    ["remote_block_ids"] = new JsonArray(new JsonArray(1, 2, 3)),
                    ["remote_engine_id"] = Name,
                    ["remote_request_id"] = requestId,
                    ["remote_host"] = "127.0.0.1",
                    ["remote_port"] = KvPort,
                    ["tp_size"] = 1,
                };
            await WriteJsonAsync(context, response);
            return;
        }

        var tokens = Math.Min(8, Number(body["max_completion_tokens"] ?? body["max_tokens"]) ?? 3);
        // A continuation (a token-id prompt ending with generated ids) goes on where they end, and never breaks.
        var start = body["prompt"] is JsonArray ids ? ids.Count(t => t is JsonValue v && v.TryGetValue<int>(out var id) && id >= FirstOutputId) : 0;
        var tokenIds = Flag(body["return_token_ids"]);
        if (!Flag(body["stream"]))
        {
            var text = string.Concat(Enumerable.Range(0, tokens).Select(i => $"tok{i} "));
            await WriteJsonAsync(context, Whole(chat, id, model, text, tokens, "length"));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            if (chat) await SendEventAsync(context, Chunk(chat, id, model, null, null, role: true));
            for (var i = start; i < start + tokens; i++)
            {
                var chunk = Chunk(chat, id, model, $"tok{i} ", i == start + tokens - 1 ? "length" : null, role: false);
                if (tokenIds) chunk["choices"]![0]!["token_ids"] = new JsonArray(FirstOutputId + i);
                await SendEventAsync(context, chunk);
                if (HoldStream)
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                if (BreakStream && start == 0)
                {
                    // Break only once the client has received what was sent: no timing guess decides the outcome.
                    StreamPaused.TrySetResult();
                    await _breakReleased.Task.WaitAsync(context.RequestAborted);
                    context.Abort();
                    return;
                }
            }
            if (Flag(body["stream_options"]?["include_usage"]))
            {
                var usage = Chunk(chat, id, model, null, null, role: false);
                usage["choices"] = new JsonArray();
                usage["usage"] = Usage(tokens);
                await SendEventAsync(context, usage);
            }
            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Aborted.TrySetResult();
        }
    }

    private static JsonObject Whole(bool chat, string id, string model, string text, int tokens, string finish)
    {
        var choice = chat
            ? new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["logprobs"] = null, ["finish_reason"] = finish }
            : new JsonObject { ["index"] = 0, ["text"] = text, ["logprobs"] = null, ["finish_reason"] = finish };
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = chat ? "chat.completion" : "text_completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(choice),
            ["usage"] = Usage(tokens),
        };
    }

    private static JsonObject Chunk(bool chat, string id, string model, string? text, string? finish, bool role)
    {
        JsonObject choice;
        if (chat)
        {
            var delta = new JsonObject();
            if (role) delta["role"] = "assistant";
            if (text is not null) delta["content"] = text;
            choice = new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish };
        }
        else
        {
            choice = new JsonObject { ["index"] = 0, ["text"] = text ?? "", ["logprobs"] = null, ["finish_reason"] = finish };
        }
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = chat ? "chat.completion.chunk" : "text_completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(choice),
        };
    }

    private static JsonObject Usage(int completion) =>
        new() { ["prompt_tokens"] = 5, ["completion_tokens"] = completion, ["total_tokens"] = 5 + completion };

    private static async Task SendEventAsync(HttpContext context, JsonObject chunk)
    {
        await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }
}
