using System.Net;
using System.Net.Http.Headers;
using DisaggServing.Router.FlowControl;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Flow control over HTTP: one request at a time fits the engine, one more may wait.</summary>
public class FlowControlTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private FakeWorker _decode = null!;
    private RouterHost _router = null!;

    private FlowController Flow => _router.Get<FlowController>();

    public async Task InitializeAsync()
    {
        _decode = await FakeWorker.StartAsync("decode-0");
        _decode.HoldStream = true;
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = _decode.Url,
            ["Router:FlowControl:MaxConcurrency"] = "1",
            ["Router:FlowControl:MaxQueueLength"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _decode.DisposeAsync();
    }

    [Fact]
    public async Task A_request_over_capacity_waits_and_a_full_queue_answers_an_openai_429_with_retry_after()
    {
        using var holder = new HttpClient { BaseAddress = _router.Client.BaseAddress };
        var held = await HoldAsync(holder);

        var waiting = _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("queued")));
        await UntilAsync(() => Flow.Queued == 1);
        Assert.False(waiting.IsCompleted);

        using var refused = await _router.Client.SendAsync(Bodies.Post("v1/chat/completions", Bodies.Chat("refused")));
        var error = await Bodies.AssertOpenAiErrorAsync(refused, 429);
        Assert.Equal("requests", (string)error["type"]!);
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.True(long.Parse(Bodies.Header(refused, "retry-after-ms"), System.Globalization.CultureInfo.InvariantCulture) >= 1000);

        // The held stream ends (its client leaves): the waiting request is dispatched and served.
        held.Dispose();
        holder.Dispose();
        using var served = await waiting.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        var metrics = await _router.Client.GetStringAsync("metrics");
        Assert.Contains("disagg_router_shed_total{reason=\"queue_full\"} 1", metrics);
        Assert.Contains("disagg_router_queue_depth{priority=\"0\"} 0", metrics);
        Assert.Contains("disagg_router_queue_wait_seconds_count", metrics);
    }

    [Fact]
    public async Task A_client_that_leaves_while_waiting_leaves_the_queue_and_never_reaches_an_engine()
    {
        using var holder = new HttpClient { BaseAddress = _router.Client.BaseAddress };
        using var held = await HoldAsync(holder);
        var id = Bodies.NewId();
        using var leave = new CancellationTokenSource();
        var waiting = _router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("leaves"), id), leave.Token);
        await UntilAsync(() => Flow.Queued == 1);

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await UntilAsync(() => Flow.Queued == 0);
        Assert.Equal(0, Flow.QueuedBytes);
        Assert.Empty(_decode.CallsFor(id));
    }

    [Fact]
    public async Task A_sheddable_request_is_refused_at_once_when_there_is_no_room()
    {
        using var holder = new HttpClient { BaseAddress = _router.Client.BaseAddress };
        using var held = await HoldAsync(holder);
        var request = Bodies.Post("v1/completions", Bodies.Completion("batch"));
        request.Headers.Add("x-request-priority", "-1");
        using var refused = await _router.Client.SendAsync(request);
        var error = await Bodies.AssertOpenAiErrorAsync(refused, 429);
        Assert.Contains("negative priority", (string)error["message"]!);
        Assert.Equal(0, Flow.Queued);
    }

    [Fact]
    public async Task A_malformed_priority_header_is_an_openai_400_naming_the_header()
    {
        var request = Bodies.Post("v1/completions", Bodies.Completion("hi"));
        request.Headers.Add("x-request-priority", "urgent");
        using var response = await _router.Client.SendAsync(request);
        var error = await Bodies.AssertOpenAiErrorAsync(response, 400);
        Assert.Equal("x-request-priority", (string?)error["param"]);
        Assert.Equal(0, Flow.InFlight);
    }

    // A streamed request the fake engine holds after its first token: it keeps the only place until disposed.
    private static async Task<HttpResponseMessage> HoldAsync(HttpClient client)
    {
        var response = await client.SendAsync(
            Bodies.Post("v1/completions", Bodies.Completion("hold", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[64]).AsTask().WaitAsync(Patience) > 0);
        return response;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(10, limit.Token);
    }
}
