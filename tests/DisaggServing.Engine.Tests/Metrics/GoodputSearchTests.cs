using CsCheck;
using DisaggServing.Engine.Metrics;

namespace DisaggServing.Engine.Tests.Metrics;

public class GoodputSearchTests
{
    // Attainment 1 up to the knee, then falling linearly to 0 at twice the knee: crosses 0.9 at 1.1 × knee.
    private static Func<double, double> Knee(double knee) => rate => Math.Clamp(1 - ((rate - knee) / knee), 0, 1);

    [Theory]
    [InlineData(0.37)]
    [InlineData(1.0)]
    [InlineData(7.3)]
    [InlineData(250)]
    public void Finds_the_rate_where_attainment_crosses_the_target(double knee)
    {
        var result = GoodputSearch.FindMaxRate(Knee(knee));
        var answer = 1.1 * knee;

        Assert.True(result.Converged);
        Assert.True(result.Rate <= answer + 1e-9);
        Assert.True(result.Rate >= answer * 0.99);
        Assert.True(result.Attainment >= 0.9);
        Assert.NotNull(result.FailingRate);
        Assert.True(result.FailingRate > answer);
        Assert.True(result.FailingRate - result.Rate <= 0.01 * result.Rate);
        Assert.Equal(result.Probes.Count, result.Evaluations);
        Assert.True(result.Evaluations <= 40);
    }

    [Fact]
    public void Any_monotone_step_is_found_within_tolerance()
    {
        Gen.Double[0.01, 5000].Sample(threshold =>
        {
            var result = GoodputSearch.FindMaxRate(rate => rate <= threshold ? 0.95 : 0.5, new GoodputSearchOptions { RelativeTolerance = 0.001 });
            Assert.True(result.Converged);
            Assert.InRange(result.Rate, threshold * 0.999, threshold);
        });
    }

    [Fact]
    public void Target_is_configurable()
    {
        var strict = GoodputSearch.FindMaxRate(Knee(10), new GoodputSearchOptions { TargetAttainment = 0.99 });
        Assert.InRange(strict.Rate, 10.1 * 0.99, 10.1 + 1e-9);
    }

    [Fact]
    public void Reports_zero_when_no_rate_meets_the_target()
    {
        var result = GoodputSearch.FindMaxRate(_ => 0.5);
        Assert.Equal(0, result.Rate);
        Assert.True(result.Converged);
        Assert.True(result.Evaluations <= 11);
    }

    [Fact]
    public void Reports_unbounded_when_every_rate_meets_the_target()
    {
        var result = GoodputSearch.FindMaxRate(_ => 1.0, new GoodputSearchOptions { MaxRate = 1000 });
        Assert.False(result.Converged);
        Assert.Equal(512, result.Rate);
        Assert.Null(result.FailingRate);
    }

    [Fact]
    public void Stops_at_the_evaluation_budget()
    {
        var calls = 0;
        var result = GoodputSearch.FindMaxRate(
            rate =>
            {
                calls++;
                return Knee(100)(rate);
            },
            new GoodputSearchOptions { MaxEvaluations = 5, RelativeTolerance = 1e-9 });
        Assert.Equal(5, calls);
        Assert.False(result.Converged);
        Assert.True(result.Rate <= 110);
        Assert.True(result.Attainment >= 0.9);
    }

    [Fact]
    public void Nan_attainment_counts_as_a_miss()
    {
        var result = GoodputSearch.FindMaxRate(rate => rate <= 3 ? 1 : double.NaN);
        Assert.InRange(result.Rate, 3 * 0.99, 3);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<InputException>(() => GoodputSearch.FindMaxRate(_ => 1, new GoodputSearchOptions { TargetAttainment = 0 }));
        Assert.Throws<InputException>(() => GoodputSearch.FindMaxRate(_ => 1, new GoodputSearchOptions { TargetAttainment = 1.5 }));
        Assert.Throws<InputException>(() => GoodputSearch.FindMaxRate(_ => 1, new GoodputSearchOptions { InitialRate = 0 }));
        Assert.Throws<InputException>(() => GoodputSearch.FindMaxRate(_ => 1, new GoodputSearchOptions { RelativeTolerance = 0 }));
        Assert.Throws<InputException>(() => GoodputSearch.FindMaxRate(_ => 1, new GoodputSearchOptions { MaxEvaluations = 0 }));
    }
}
