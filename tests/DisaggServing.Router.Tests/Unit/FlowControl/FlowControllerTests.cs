using DisaggServing.Router.FlowControl;
using DisaggServing.Router.Telemetry;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

public class FlowControllerTests
{
    private readonly ManualTime _time = new();
    private readonly FakeCapacity _capacity = new();
    private readonly RouterMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());

    private FlowController Controller(Action<FlowControlOptions>? configure = null)
    {
        var options = new FlowControlOptions { MaxQueueWaitMs = 0 };
        configure?.Invoke(options);
        return new FlowController(options, _capacity, _metrics, _time);
    }

    private static FlowTicket Ticket(string tenant = "a", int priority = 0, long bytes = 100, long? deadline = null) =>
        new(tenant, priority, bytes, deadline);

    private long After(TimeSpan span) => _time.GetTimestamp() + span.Ticks;

    [Fact]
    public async Task Requests_are_dispatched_at_once_while_the_engines_have_room()
    {
        _capacity.Limit = 2;
        var flow = Controller();
        var first = flow.AdmitAsync(Ticket(), default);
        var second = flow.AdmitAsync(Ticket(), default);
        Assert.True(first.IsCompletedSuccessfully && second.IsCompletedSuccessfully);
        Assert.Equal(2, flow.InFlight);
        (await first).Dispose();
        Assert.Equal(1, flow.InFlight);
    }

    [Fact]
    public async Task A_request_waits_while_the_engines_are_full_and_goes_when_one_ends()
    {
        var flow = Controller();
        var running = await flow.AdmitAsync(Ticket(), default);
        var waiting = flow.AdmitAsync(Ticket(), default).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, flow.Queued);

        running.Dispose();
        using var lease = await waiting;
        Assert.Equal(0, flow.Queued);
        Assert.Equal(1, flow.InFlight);
    }

    [Fact]
    public async Task Tenants_take_turns_so_that_one_tenants_burst_does_not_starve_another()
    {
        var flow = Controller();
        var current = await flow.AdmitAsync(Ticket("busy"), default);
        var pending = new[] { "busy", "busy", "busy", "busy", "quiet", "busy", "other" }
            .Select(tenant => (Tenant: tenant, Wait: flow.AdmitAsync(Ticket(tenant), default).AsTask())).ToList();

        // Each ending request lets exactly one waiter go.
        var order = new List<string>();
        while (pending.Count > 0)
        {
            current.Dispose();
            var done = await Task.WhenAny(pending.Select(p => p.Wait));
            var entry = pending.Single(p => p.Wait == done);
            pending.Remove(entry);
            order.Add(entry.Tenant);
            current = await done;
            Assert.Equal(1, flow.InFlight);
        }
        current.Dispose();
        Assert.Equal(["busy", "quiet", "other", "busy", "busy", "busy", "busy"], order);
    }

    [Fact]
    public async Task Higher_priority_is_dispatched_first_and_equal_priority_in_arrival_order()
    {
        var flow = Controller();
        var running = await flow.AdmitAsync(Ticket(), default);
        var low = flow.AdmitAsync(Ticket("a", priority: 0), default).AsTask();
        var high = flow.AdmitAsync(Ticket("b", priority: 10), default).AsTask();
        var higher = flow.AdmitAsync(Ticket("c", priority: 100), default).AsTask();

        running.Dispose();
        var first = await higher;
        Assert.False(high.IsCompleted || low.IsCompleted);
        first.Dispose();
        var second = await high;
        Assert.False(low.IsCompleted);
        second.Dispose();
        (await low).Dispose();
    }

    [Fact]
    public async Task A_sheddable_request_is_refused_without_room_and_served_with_room()
    {
        var flow = Controller();
        var served = await flow.AdmitAsync(Ticket(priority: -1), default);
        var shed = await Assert.ThrowsAsync<FlowShedException>(() => flow.AdmitAsync(Ticket(priority: -1), default).AsTask());
        Assert.Equal(ShedReason.Sheddable, shed.Reason);
        Assert.True(shed.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(0, flow.Queued);
        Assert.Equal(1, _metrics.Sheds("sheddable"));
        served.Dispose();
    }

    [Fact]
    public async Task A_full_queue_sheds_with_a_retry_hint_from_the_recent_service_rate()
    {
        var flow = Controller(o => o.MaxQueueLength = 2);
        // Four requests end one every 0.5 s: about two a second.
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            (await flow.AdmitAsync(Ticket(), default)).Dispose();
        }
        using var running = await flow.AdmitAsync(Ticket(), default);
        var queued = new[] { flow.AdmitAsync(Ticket(), default).AsTask(), flow.AdmitAsync(Ticket(), default).AsTask() };

        var shed = await Assert.ThrowsAsync<FlowShedException>(() => flow.AdmitAsync(Ticket(), default).AsTask());
        Assert.Equal(ShedReason.QueueFull, shed.Reason);
        // Two ahead and itself, at ~2.7/s (4 samples over 1.5 s): about 1.1 s, rounded up to whole seconds.
        Assert.Equal(TimeSpan.FromSeconds(2), shed.RetryAfter);
        Assert.Equal(2, flow.Queued);
        Assert.All(queued, t => Assert.False(t.IsCompleted));
    }

    [Fact]
    public async Task A_full_queue_gives_up_its_newest_lowest_priority_request_for_a_higher_one()
    {
        var flow = Controller(o => o.MaxQueueLength = 2);
        using var running = await flow.AdmitAsync(Ticket(), default);
        var older = flow.AdmitAsync(Ticket("a", priority: 0), default).AsTask();
        var newer = flow.AdmitAsync(Ticket("a", priority: 0), default).AsTask();

        var urgent = flow.AdmitAsync(Ticket("b", priority: 5), default).AsTask();
        var displaced = await Assert.ThrowsAsync<FlowShedException>(() => newer);
        Assert.Equal(ShedReason.Displaced, displaced.Reason);
        Assert.False(older.IsCompleted);
        Assert.False(urgent.IsCompleted);
        Assert.Equal(2, flow.Queued);

        // An equal priority does not displace anyone.
        var equal = await Assert.ThrowsAsync<FlowShedException>(() => flow.AdmitAsync(Ticket("c", priority: 0), default).AsTask());
        Assert.Equal(ShedReason.QueueFull, equal.Reason);
    }

    [Fact]
    public async Task Queued_bodies_never_hold_more_than_the_byte_limit()
    {
        var flow = Controller(o => o.MaxQueueBytes = 1000);
        using var running = await flow.AdmitAsync(Ticket(bytes: 10_000), default);
        var waits = new List<Task<FlowLease>>();
        for (var i = 0; i < 3; i++) waits.Add(flow.AdmitAsync(Ticket(bytes: 300), default).AsTask());

        var shed = await Assert.ThrowsAsync<FlowShedException>(() => flow.AdmitAsync(Ticket(bytes: 300), default).AsTask());
        Assert.Equal(ShedReason.QueueBytes, shed.Reason);
        var tooBig = await Assert.ThrowsAsync<FlowShedException>(() => flow.AdmitAsync(Ticket(priority: 50, bytes: 1001), default).AsTask());
        Assert.Equal(ShedReason.QueueBytes, tooBig.Reason);
        Assert.Equal(900, flow.QueuedBytes);
        Assert.Equal(3, flow.Queued);
    }

    [Fact]
    public async Task A_request_whose_estimated_wait_passes_its_deadline_is_shed_at_once()
    {
        var flow = Controller();
        // One request ends a second: a known rate of about 1/s.
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await flow.AdmitAsync(Ticket(), default)).Dispose();
        }
        using var running = await flow.AdmitAsync(Ticket(), default);
        for (var i = 0; i < 3; i++) _ = flow.AdmitAsync(Ticket("a"), default).AsTask();

        var hurried = await Assert.ThrowsAsync<FlowShedException>(
            () => flow.AdmitAsync(Ticket("a", deadline: After(TimeSpan.FromSeconds(2))), default).AsTask());
        Assert.Equal(ShedReason.Deadline, hurried.Reason);
        Assert.Equal(1, _metrics.Sheds("deadline"));

        var patient = flow.AdmitAsync(Ticket("a", deadline: After(TimeSpan.FromSeconds(30))), default).AsTask();
        Assert.False(patient.IsCompleted);
        Assert.Equal(4, flow.Queued);
    }

    [Fact]
    public async Task A_request_still_waiting_at_its_deadline_is_shed_by_the_tick()
    {
        var flow = Controller(o => o.MaxQueueWaitMs = 5000);
        using var running = await flow.AdmitAsync(Ticket(), default);
        var own = flow.AdmitAsync(Ticket("a", deadline: After(TimeSpan.FromSeconds(1))), default).AsTask();
        var server = flow.AdmitAsync(Ticket("b"), default).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(999));
        flow.Tick();
        Assert.False(own.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        flow.Tick();
        Assert.Equal(ShedReason.Expired, (await Assert.ThrowsAsync<FlowShedException>(() => own)).Reason);
        Assert.False(server.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(4));
        flow.Tick();
        Assert.Equal(ShedReason.Expired, (await Assert.ThrowsAsync<FlowShedException>(() => server)).Reason);
        Assert.Equal(0, flow.Queued);
        Assert.Equal(2, _metrics.Sheds("expired"));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_at_once_and_takes_no_place()
    {
        var flow = Controller();
        var running = await flow.AdmitAsync(Ticket(), default);
        using var cancel = new CancellationTokenSource();
        var leaving = flow.AdmitAsync(Ticket("a"), cancel.Token).AsTask();
        var staying = flow.AdmitAsync(Ticket("b"), default).AsTask();
        Assert.Equal(2, flow.Queued);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.Equal(1, flow.Queued);
        Assert.Equal(100, flow.QueuedBytes);

        running.Dispose();
        using var next = await staying;
        Assert.Equal(1, flow.InFlight);
        Assert.Equal(0, flow.Queued);
    }

    [Fact]
    public async Task Saturated_engines_hold_the_dispatched_level_and_each_completion_admits_one()
    {
        _capacity.Limit = 10;
        _capacity.Engines = 1;
        var flow = Controller();
        var first = await flow.AdmitAsync(Ticket(), default);
        var second = await flow.AdmitAsync(Ticket(), default);

        _capacity.Saturated = true;
        var waiting = flow.AdmitAsync(Ticket(), default).AsTask();
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        var third = await waiting;
        Assert.Equal(2, flow.InFlight);

        var another = flow.AdmitAsync(Ticket(), default).AsTask();
        _capacity.Saturated = false;
        flow.Tick();
        (await another).Dispose();
        second.Dispose();
        third.Dispose();
    }

    [Fact]
    public async Task Queue_depth_is_reported_per_priority_and_wait_time_when_dispatched()
    {
        var flow = Controller();
        var running = await flow.AdmitAsync(Ticket(), default);
        var a = flow.AdmitAsync(Ticket(priority: 3), default).AsTask();
        var b = flow.AdmitAsync(Ticket(priority: 3), default).AsTask();
        var c = flow.AdmitAsync(Ticket(priority: 0), default).AsTask();
        Assert.Equal(2, _metrics.QueueDepth(3));
        Assert.Equal(1, _metrics.QueueDepth(0));

        _time.Advance(TimeSpan.FromSeconds(2));
        running.Dispose();
        (await a).Dispose();
        (await b).Dispose();
        (await c).Dispose();
        Assert.Equal(0, _metrics.QueueDepth(3));
        Assert.Equal(0, _metrics.QueueDepth(0));
        var text = await ScrapeAsync();
        Assert.Contains("disagg_router_queue_wait_seconds_count 4", text);
        Assert.Contains("disagg_router_queue_wait_seconds_bucket{le=\"2.5\"} 4", text);
        Assert.Contains("disagg_router_queue_wait_seconds_bucket{le=\"1\"} 1", text);
    }

    [Fact]
    public async Task A_request_certain_to_be_shed_is_refused_before_its_body_is_read()
    {
        var flow = Controller(o => o.MaxQueueLength = 1);
        Assert.Null(flow.RefuseEarly(-1));
        using var running = await flow.AdmitAsync(Ticket(), default);
        Assert.Equal(ShedReason.Sheddable, flow.RefuseEarly(-1)?.Reason);
        Assert.Null(flow.RefuseEarly(0));

        _ = flow.AdmitAsync(Ticket(priority: 0), default).AsTask();
        Assert.Equal(ShedReason.QueueFull, flow.RefuseEarly(0)?.Reason);
        // A higher priority could still displace the waiting one: it is read and queued.
        Assert.Null(flow.RefuseEarly(1));
        Assert.Equal(2, _metrics.Sheds("sheddable") + _metrics.Sheds("queue_full"));
    }

    [Fact]
    public async Task With_flow_control_off_every_request_goes_at_once()
    {
        _capacity.Limit = 0;
        var flow = Controller(o => o.Enabled = false);
        var leases = new List<FlowLease>();
        for (var i = 0; i < 100; i++) leases.Add(await flow.AdmitAsync(Ticket(priority: -5), default));
        Assert.Equal(0, flow.Queued);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task Disposing_a_lease_twice_frees_one_place()
    {
        _capacity.Limit = 2;
        var flow = Controller();
        var lease = await flow.AdmitAsync(Ticket(), default);
        using var other = await flow.AdmitAsync(Ticket(), default);
        lease.Dispose();
        lease.Dispose();
        Assert.Equal(1, flow.InFlight);
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
