using DisaggServing.Scheduling.Plugins.LeastLoad;

namespace DisaggServing.Scheduling.Tests;

public class LeastLoadScorerTests
{
    [Fact]
    public void The_least_loaded_endpoint_scores_highest_and_waiting_weighs_more_than_running()
    {
        var idle = Sched.Endpoint(1);
        var running = Sched.Endpoint(2);
        var waiting = Sched.Endpoint(3);
        running.Load = new CandidateLoad(0, 4, 0);
        waiting.Load = new CandidateLoad(3, 0, 0);
        var scores = Sched.Score(new LeastLoadScorer(waitingWeight: 2, kvWeight: 0), Sched.Context(1), [idle, running, waiting]);
        Assert.Equal(1, scores[0]);
        Assert.Equal(0, scores[2]);
        Assert.True(scores[1] is > 0 and < 1);
    }

    [Fact]
    public void The_routers_own_in_flight_count_wins_over_a_stale_scrape()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        a.Enter();
        a.Enter();
        var scores = Sched.Score(new LeastLoadScorer(kvWeight: 0), Sched.Context(1), [a, b]);
        Assert.True(scores[1] > scores[0]);
        a.Exit();
        a.Exit();
        Assert.Equal(0, a.InFlight);
    }

    [Fact]
    public void Equal_loads_score_equally_and_kv_usage_breaks_them()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        Assert.Equal([1.0, 1.0], Sched.Score(new LeastLoadScorer(), Sched.Context(1), [a, b]));
        a.Load = new CandidateLoad(0, 0, 0.9);
        var scores = Sched.Score(new LeastLoadScorer(kvWeight: 0.5), Sched.Context(1), [a, b]);
        Assert.True(scores[1] > scores[0]);
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
    }
}
