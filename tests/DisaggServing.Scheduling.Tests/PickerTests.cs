using DisaggServing.Scheduling.Plugins.MaxScore;
using DisaggServing.Scheduling.Plugins.RoundRobin;

namespace DisaggServing.Scheduling.Tests;

public class PickerTests
{
    [Fact]
    public void Round_robin_takes_candidates_in_turn()
    {
        var picker = new RoundRobinPicker();
        var endpoints = new[] { Sched.Endpoint(1), Sched.Endpoint(2), Sched.Endpoint(3) };
        var picks = Enumerable.Range(0, 6).Select(_ => picker.Pick(Sched.Context(1), endpoints, new double[3])).ToArray();
        Assert.Equal([0, 1, 2, 0, 1, 2], picks);
        Assert.Equal(-1, picker.Pick(Sched.Context(1), [], []));
    }

    [Fact]
    public void Max_score_takes_the_best()
    {
        var picker = new MaxScorePicker();
        var endpoints = new[] { Sched.Endpoint(1), Sched.Endpoint(2), Sched.Endpoint(3) };
        for (var i = 0; i < 5; i++)
            Assert.Equal(1, picker.Pick(Sched.Context(1), endpoints, [0.2, 0.9, 0.5]));
    }

    [Fact]
    public void Max_score_shares_ties_in_turn()
    {
        var picker = new MaxScorePicker();
        var endpoints = new[] { Sched.Endpoint(1), Sched.Endpoint(2), Sched.Endpoint(3) };
        var picks = Enumerable.Range(0, 4).Select(_ => picker.Pick(Sched.Context(1), endpoints, [0.7, 0.1, 0.7])).ToArray();
        Assert.Equal([0, 2, 0, 2], picks);
        Assert.Equal(-1, picker.Pick(Sched.Context(1), [], []));
    }
}
