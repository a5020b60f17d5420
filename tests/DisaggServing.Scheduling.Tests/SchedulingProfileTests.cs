using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins.Health;
using DisaggServing.Scheduling.Plugins.LeastLoad;
using DisaggServing.Scheduling.Plugins.MaxScore;
using DisaggServing.Scheduling.Plugins.PrefixCache;

namespace DisaggServing.Scheduling.Tests;

public class SchedulingProfileTests
{
    [Fact]
    public void Weights_decide_between_scorers()
    {
        var cached = Sched.Endpoint(1, "cached");
        var idle = Sched.Endpoint(2, "idle");
        cached.Load = new CandidateLoad(0, 10, 0);
        var context = Sched.Context(160);
        context.PrefixMatches = new Dictionary<string, int> { ["cached"] = 10 };

        SchedulingProfile Profile(double prefixWeight, double loadWeight) => new("decode", [],
            [new WeightedScorer(new PrefixCacheScorer(), prefixWeight), new WeightedScorer(new LeastLoadScorer(kvWeight: 0), loadWeight)],
            new MaxScorePicker());

        Assert.Same(cached, Profile(2, 1).Pick(context, [cached, idle]));
        Assert.Same(idle, Profile(1, 2).Pick(context, [cached, idle]));
        Assert.Same(idle, Profile(0, 1).Pick(context, [cached, idle]));
        Assert.True(Profile(1, 1).UsesPrefixMatches);
        Assert.False(Profile(0, 1).UsesPrefixMatches);
    }

    [Fact]
    public void Filters_run_first_and_an_empty_field_picks_nothing()
    {
        var time = new ManualTime();
        var a = Sched.Endpoint(1);
        a.Health = EndpointHealth.Unhealthy;
        var profile = new SchedulingProfile("prefill", [new HealthFilter(time, TimeSpan.FromSeconds(1))], [], new MaxScorePicker());
        Assert.Null(profile.Pick(Sched.Context(1), [a]));
        Assert.Null(profile.Pick(Sched.Context(1), Array.Empty<TestCandidate>()));
        var b = Sched.Endpoint(2);
        Assert.Same(b, profile.Pick(Sched.Context(1), [a, b]));
        Assert.Null(profile.Pick(Sched.Context(1), [a, b], exclude: b));
    }

    [Fact]
    public void Scores_are_clamped_to_the_unit_interval()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        var profile = new SchedulingProfile("decode", [], [new WeightedScorer(new WildScorer(), 1)], new MaxScorePicker());
        // WildScorer gives a 5 (clamped to 1) and b NaN (0): a wins.
        Assert.Same(a, profile.Pick(Sched.Context(1), [a, b]));
    }

    [Fact]
    public void A_pick_allocates_nothing_so_the_simulator_can_route_millions_of_requests()
    {
        var time = new ManualTime();
        var pool = Enumerable.Range(0, 64).Select(i => new TestCandidate($"10.0.0.{i}:8000", $"decode-{i}") { Load = new CandidateLoad(i % 3, i % 7, i / 64.0) }).ToArray();
        var profile = new SchedulingProfile("decode", [new HealthFilter(time, TimeSpan.FromSeconds(5))],
            [new WeightedScorer(new PrefixCacheScorer(), 2), new WeightedScorer(new LeastLoadScorer(), 1)], new MaxScorePicker());
        var context = new SchedulingContext(blockSize: 16);
        context.Reset("r", 4096, [1, 2, 3]);
        context.PrefixMatches = pool.ToDictionary(c => c.EngineId!, c => c.Load.Running > 3 ? 2 : 0);
        profile.Pick(context, pool);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Assert.NotNull(profile.Pick(context, pool));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class WildScorer : IScorer
    {
        public string Name => "wild";

        public void Score(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, Span<double> scores)
        {
            scores[0] = 5;
            scores[1] = double.NaN;
        }
    }
}
