using CsCheck;
using DisaggServing.Engine.Routing;

namespace DisaggServing.Engine.Tests.Routing;

public class RoutingPolicyTests
{
    private static readonly EngineLoad Idle = new(0, 0, 0);

    [Fact]
    public void Round_robin_cycles_in_order_whatever_the_load()
    {
        var policy = new RoundRobinPolicy();
        EngineLoad[] engines = [new(100, 50, 1), Idle, new(3, 3, 0.5)];
        var picks = Enumerable.Range(0, 7).Select(_ => policy.Choose(engines)).ToArray();
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], picks);
    }

    [Fact]
    public void Round_robin_spreads_evenly_across_threads()
    {
        var policy = new RoundRobinPolicy();
        var counts = new int[4];
        Parallel.For(0, 4000, _ =>
        {
            Span<EngineLoad> engines = [Idle, Idle, Idle, Idle];
            Interlocked.Increment(ref counts[policy.Choose(engines)]);
        });
        Assert.All(counts, c => Assert.Equal(1000, c));
    }

    [Fact]
    public void Least_load_picks_the_lowest_score()
    {
        var policy = new LeastLoadPolicy();
        EngineLoad[] engines = [new(2, 8, 0.1), new(1, 5, 0.2), new(0, 7, 0.2)];
        Assert.Equal(1, policy.Choose(engines));
    }

    [Fact]
    public void Least_load_weighs_kv_usage_and_transfers()
    {
        var policy = new LeastLoadPolicy(kvUsageWeight: 10, transferWeight: 2);
        Assert.Equal(3 + 4 + 9 + 2, policy.Score(new EngineLoad(3, 4, 0.9, 1)), 12);

        // Equal queues: the engine with the emptier cache wins; a full cache outweighs a few queued requests.
        Assert.Equal(1, policy.Choose([new(2, 2, 0.8), new(2, 2, 0.1)]));
        Assert.Equal(1, policy.Choose([new(0, 4, 1.0), new(3, 4, 0.0)]));
        Assert.Equal(0, policy.Choose([new(1, 1, 0.5, 0), new(1, 1, 0.5, 1)]));
    }

    [Fact]
    public void Least_load_ties_go_to_the_lowest_index()
    {
        var policy = new LeastLoadPolicy();
        Assert.Equal(0, policy.Choose([Idle, Idle, Idle]));
        Assert.Equal(1, policy.Choose([new(1, 1, 0), new(0, 1, 0), new(1, 0, 0)]));
    }

    [Fact]
    public void Least_load_choice_has_a_minimal_score_and_no_lower_index_ties_it()
    {
        var load = Gen.Select(Gen.Int[0, 20], Gen.Int[0, 20], Gen.Double[0, 1], Gen.Int[0, 3])
            .Select((w, r, kv, t) => new EngineLoad(w, r, kv, t));
        var policy = new LeastLoadPolicy();
        load.Array[1, 12].Sample(engines =>
        {
            var choice = policy.Choose(engines);
            var scores = engines.Select(policy.Score).ToArray();
            Assert.Equal(scores.Min(), scores[choice]);
            Assert.All(scores[..choice], s => Assert.True(s > scores[choice]));
            Assert.Equal(choice, policy.Choose(engines));
        });
    }

    [Fact]
    public void Empty_candidate_lists_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RoundRobinPolicy().Choose([]));
        Assert.Throws<ArgumentException>(() => new LeastLoadPolicy().Choose([]));
    }

    [Fact]
    public void Least_load_weights_are_validated()
    {
        Assert.Throws<InputException>(() => new LeastLoadPolicy(kvUsageWeight: -1));
        Assert.Throws<InputException>(() => new LeastLoadPolicy(transferWeight: double.NaN));
    }

    [Theory]
    [InlineData("round-robin", typeof(RoundRobinPolicy))]
    [InlineData("Least-Load", typeof(LeastLoadPolicy))]
    [InlineData(" least-load ", typeof(LeastLoadPolicy))]
    public void Policies_are_found_by_name(string name, Type expected)
    {
        var policy = RoutingPolicies.Create(name);
        Assert.IsType(expected, policy);
        Assert.Contains(policy.Name, RoutingPolicies.Names);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_list_the_known_ones(string? name)
    {
        var error = Assert.Throws<InputException>(() => RoutingPolicies.Create(name));
        Assert.Contains("round-robin, least-load", error.Message);
        Assert.Contains($"'{name}'", error.Message);
    }
}
