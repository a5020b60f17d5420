using DisaggServing.Router.FlowControl;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

public class FlowQueueTests
{
    private static QueuedRequest Request(string tenant, int priority = 0, long bytes = 10, long? expiresAt = null) =>
        new(new FlowTicket(tenant, priority, bytes), 0, expiresAt);

    [Fact]
    public void Tenants_of_a_band_are_served_one_request_each_per_turn()
    {
        var queue = new FlowQueue();
        foreach (var tenant in new[] { "a", "a", "a", "b", "c", "c" }) queue.Enqueue(Request(tenant));
        var order = new List<string>();
        while (queue.Dequeue() is { } next) order.Add(next.Ticket.Tenant);
        Assert.Equal(["a", "b", "c", "a", "c", "a"], order);
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Bytes);
    }

    [Fact]
    public void The_wait_ahead_of_a_new_request_counts_higher_bands_and_its_round_robin_turn()
    {
        var queue = new FlowQueue();
        foreach (var tenant in new[] { "a", "a", "a", "b" }) queue.Enqueue(Request(tenant));
        queue.Enqueue(Request("x", priority: 5));
        queue.Enqueue(Request("y", priority: -5));

        // A new "b" request is b's second: one of b's, two of a's (a's first two turns), and the higher band.
        Assert.Equal(4, queue.AheadOf(0, "b"));
        // A new "a" request is a's fourth: a's three, b's one, and the higher band.
        Assert.Equal(5, queue.AheadOf(0, "a"));
        Assert.Equal(0, queue.AheadOf(10, "a"));
        Assert.Equal(6, queue.AheadOf(-5, "z"));
    }

    [Fact]
    public void The_victim_for_a_higher_priority_is_the_newest_of_the_heaviest_tenant_of_the_lowest_band()
    {
        var queue = new FlowQueue();
        var light = Request("light", priority: -1);
        var heavyOld = Request("heavy", priority: -1);
        var heavyNew = Request("heavy", priority: -1);
        queue.Enqueue(Request("top", priority: 3));
        queue.Enqueue(light);
        queue.Enqueue(heavyOld);
        queue.Enqueue(heavyNew);

        Assert.Same(heavyNew, queue.VictimBelow(0));
        Assert.Null(queue.VictimBelow(-1));
        Assert.True(queue.Remove(heavyNew));
        Assert.False(queue.Remove(heavyNew));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void Expired_lists_only_requests_at_or_past_their_deadline()
    {
        var queue = new FlowQueue();
        var soon = Request("a", expiresAt: 100);
        var later = Request("b", expiresAt: 200);
        queue.Enqueue(soon);
        queue.Enqueue(later);
        queue.Enqueue(Request("c"));
        Assert.Equal([soon], queue.Expired(100));
        Assert.Equal(2, queue.Expired(250).Count);
    }
}
