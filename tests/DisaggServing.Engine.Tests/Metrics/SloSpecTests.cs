using DisaggServing.Engine.Metrics;

namespace DisaggServing.Engine.Tests.Metrics;

public class SloSpecTests
{
    [Theory]
    [InlineData(200.0, 50.0, 199.0, 49.0, true)]
    [InlineData(200.0, 50.0, 200.0, 50.0, true)]
    [InlineData(200.0, 50.0, 201.0, 10.0, false)]
    [InlineData(200.0, 50.0, 10.0, 50.5, false)]
    [InlineData(null, 50.0, 1e9, 10.0, true)]
    [InlineData(200.0, null, 100.0, 1e9, true)]
    [InlineData(null, null, 1e9, 1e9, true)]
    public void Both_bounds_must_hold_and_null_means_unconstrained(double? ttftBound, double? tpotBound, double ttft, double tpot, bool met)
    {
        Assert.Equal(met, new SloSpec(ttftBound, tpotBound).IsMet(ttft, tpot));
    }

    [Fact]
    public void A_single_token_request_has_no_tpot_and_meets_any_tpot_bound()
    {
        Assert.True(new SloSpec(200, 1).IsMet(100, null));
        Assert.False(new SloSpec(50, 1).IsMet(100, null));
    }

    [Theory]
    [InlineData(0.0, null, "ttft_ms")]
    [InlineData(-1.0, null, "ttft_ms")]
    [InlineData(null, double.NaN, "tpot_ms")]
    [InlineData(null, double.PositiveInfinity, "tpot_ms")]
    public void Bounds_must_be_positive(double? ttft, double? tpot, string field)
    {
        var error = Assert.Throws<InputException>(() => new SloSpec(ttft, tpot));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Reads_well()
    {
        Assert.Equal("ttft<=200ms tpot<=50ms", new SloSpec(200, 50).ToString());
        Assert.Equal("tpot<=12.5ms", new SloSpec(null, 12.5).ToString());
        Assert.Equal("none", SloSpec.None.ToString());
    }
}
