using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Cli.Tests;

/// <summary>
/// A tiny OpenAI-compatible server on 127.0.0.1 and an ephemeral port: /v1/completions and /v1/chat/completions
/// answer with max_tokens one-token chunks (or one JSON body), usage included, and every
/// <see cref="FailEvery"/>-th request gets a 500.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int received;

    private FakeOpenAiServer(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every n-th request (1-based) fails with HTTP 500; 0 for never.</summary>
    public int FailEvery { get; init; }

    public ConcurrentQueue<JsonElement> Bodies { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public ConcurrentQueue<string> Paths { get; } = new();

    public static async Task<FakeOpenAiServer> StartAsync(int failEvery = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = new FakeOpenAiServer(builder.Build()) { FailEvery = failEvery };
        server.app.MapPost("/v1/completions", context => server.HandleAsync(context, chat: false));
        server.app.MapPost("/v1/chat/completions", context => server.HandleAsync(context, chat: true));
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, bool chat)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        Bodies.Enqueue(body.RootElement.Clone());
        Authorizations.Enqueue(context.Request.Headers.Authorization.FirstOrDefault());
        Paths.Enqueue(context.Request.Path);
        var n = Interlocked.Increment(ref received);
        if (FailEvery > 0 && n % FailEvery == 0)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "fake failure", type = "internal_error", code = 500 } });
            return;
        }

        var root = body.RootElement;
        var tokens = root.GetProperty("max_tokens").GetInt32();
        var usage = new { prompt_tokens = 1, completion_tokens = tokens, total_tokens = tokens + 1 };
        if (!(root.TryGetProperty("stream", out var stream) && stream.GetBoolean()))
        {
            object choice = chat
                ? new { index = 0, message = new { role = "assistant", content = string.Concat(Enumerable.Repeat(" x", tokens)) }, finish_reason = "length" }
                : new { index = 0, text = string.Concat(Enumerable.Repeat(" x", tokens)), finish_reason = "length" };
            await context.Response.WriteAsJsonAsync(new { id = "cmpl-1", choices = new[] { choice }, usage });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < tokens; i++)
        {
            object choice = chat
                ? new { index = 0, delta = new { content = " x" }, finish_reason = (string?)null }
                : new { index = 0, text = " x", finish_reason = (string?)null };
            await WriteEventAsync(context, new { id = "cmpl-1", choices = new[] { choice } });
        }

        await WriteEventAsync(context, new { id = "cmpl-1", choices = Array.Empty<object>(), usage });
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task WriteEventAsync(HttpContext context, object data)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(data) + "\n\n");
        await context.Response.Body.FlushAsync();
    }
}
