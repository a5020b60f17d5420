using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// A fake engine of known capacity for overload runs: it serves <c>batch</c> requests at a time, each for a fixed
/// service time, and queues the rest as vLLM does (reported as <c>vllm:num_requests_waiting</c>), so its throughput is
/// exactly batch / service time whatever the offered load.
/// </summary>
internal sealed class SlowEngine : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SemaphoreSlim slots;
    private readonly TimeSpan service;
    private readonly string model;
    private int waiting;
    private int running;

    private SlowEngine(WebApplication app, int batch, TimeSpan service, string model)
    {
        this.app = app;
        slots = new SemaphoreSlim(batch, batch);
        this.service = service;
        this.model = model;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<SlowEngine> StartAsync(int batch, TimeSpan service, string model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var engine = new SlowEngine(builder.Build(), batch, service, model);
        engine.app.MapPost("/v1/completions", engine.CompleteAsync);
        engine.app.MapGet("/health", () => Results.Ok());
        engine.app.MapGet("/metrics", () => Results.Text(string.Create(CultureInfo.InvariantCulture,
            $"vllm:num_requests_waiting{{model_name=\"{model}\"}} {Volatile.Read(ref engine.waiting)}\nvllm:num_requests_running{{model_name=\"{model}\"}} {Volatile.Read(ref engine.running)}\nvllm:kv_cache_usage_perc{{model_name=\"{model}\"}} 0\n")));
        engine.app.MapGet("/v1/models", () => Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["id"] = model, ["object"] = "model", ["created"] = 1, ["owned_by"] = "bench" }),
        }));
        await engine.app.StartAsync().ConfigureAwait(false);
        engine.BaseUrl = new Uri(engine.app.Urls.First().TrimEnd('/') + "/");
        return engine;
    }

    /// <summary>Requests queued or running in the engine now.</summary>
    public int Load => Volatile.Read(ref waiting) + Volatile.Read(ref running);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        slots.Dispose();
    }

    private async Task CompleteAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
        Interlocked.Increment(ref waiting);
        try
        {
            await slots.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
        Interlocked.Increment(ref running);
        try
        {
            await Task.Delay(service, context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $$$"""{"id":"cmpl-bench","object":"text_completion","created":1,"model":"{{{model}}}","choices":[{"index":0,"text":" ok","logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""",
                context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref running);
            slots.Release();
        }
    }
}
