using DisaggServing.Engine.Simulation;

namespace DisaggServing.Engine.Tests.Simulation;

public class AdmissionQueueTests
{
    private static List<int> Requests(AdmissionQueue queue)
    {
        var list = new List<int>();
        for (var slot = queue.Head; slot < queue.Tail; slot++)
            if (queue[slot] >= 0) list.Add(queue[slot]);
        return list;
    }

    [Fact]
    public void Removing_from_the_front_and_the_middle_keeps_the_others_in_hand_off_order()
    {
        var queue = new AdmissionQueue();
        for (var r = 0; r < 6; r++) queue.Add(r);
        queue.RemoveAt(queue.Head + 3);
        queue.RemoveAt(queue.Head);
        Assert.Equal(4, queue.Count);
        Assert.Equal([1, 2, 4, 5], Requests(queue));
        Assert.Equal(1, queue[queue.Head]);
    }

    [Fact]
    public void Filling_past_its_array_squeezes_holes_out_and_keeps_order()
    {
        var queue = new AdmissionQueue();
        var expected = new List<int>();
        for (var r = 0; r < 1000; r++)
        {
            queue.Add(r);
            expected.Add(r);
            if (r % 3 == 0)
            {
                // Remove the second request queued, as an admission that skipped the head would.
                var second = queue.Head + 1;
                while (second < queue.Tail && queue[second] < 0) second++;
                if (second < queue.Tail)
                {
                    expected.Remove(queue[second]);
                    queue.RemoveAt(second);
                }
            }
        }
        Assert.Equal(expected, Requests(queue));
        Assert.Equal(expected.Count, queue.Count);
    }

    [Fact]
    public void Emptied_queue_counts_nothing_and_takes_new_requests()
    {
        var queue = new AdmissionQueue();
        queue.Add(7);
        queue.Add(8);
        queue.RemoveAt(queue.Head + 1);
        queue.RemoveAt(queue.Head);
        Assert.Equal(0, queue.Count);
        queue.Add(9);
        Assert.Equal([9], Requests(queue));
    }

    [Fact]
    public void A_negative_request_index_is_refused()
    {
        var queue = new AdmissionQueue();
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Add(-1));
    }
}
