using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using DisaggServing.Router.Telemetry;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>One trace per request: router.request → prefill call → decode call, with the context propagated to the workers.</summary>
public sealed class TracingTests : IClassFixture<PdClusterFixture>, IDisposable
{
    private readonly PdClusterFixture _cluster;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests(PdClusterFixture cluster)
    {
        _cluster = cluster;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RouterActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task Prefill_and_decode_calls_carry_the_routers_trace()
    {
        _cluster.Reset();
        var id = Bodies.NewId();
        using var response = await _cluster.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(Bodies.Words(60)), id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The router's request span stops as its pipeline unwinds, which can be after the client has read the response.
        bool IsRoot(Activity a) => a.OperationName == "router.request" && (string?)a.GetTagItem("disagg.request_id") == id;
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (!_stopped.Any(IsRoot)) await Task.Delay(10, patience.Token);

        var root = Assert.Single(_stopped, IsRoot);
        Assert.Equal("pd", root.GetTagItem("disagg.route"));
        var children = _stopped.Where(a => a.ParentSpanId == root.SpanId).Select(a => a.OperationName).ToArray();
        Assert.Contains("schedule", children);
        Assert.Contains("prefill", children);
        Assert.Contains("decode", children);

        var traceId = root.TraceId.ToHexString();
        var prefill = Assert.Single(_cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        var decode = Assert.Single(_cluster.Decodes.SelectMany(w => w.CallsFor(id)));
        Assert.Contains(traceId, prefill.TraceParent);
        Assert.Contains(traceId, decode.TraceParent);
    }

    public void Dispose() => _listener.Dispose();
}
