using DisaggServing.Router.FlowControl;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

public class ServiceRateTests
{
    [Fact]
    public void The_rate_is_unknown_until_two_completions_and_falls_while_idle()
    {
        var time = new ManualTime();
        var rate = new ServiceRate(time, samples: 8, window: TimeSpan.FromSeconds(10));
        Assert.Null(rate.PerSecond(time.GetTimestamp()));
        rate.Record(time.GetTimestamp());
        Assert.Null(rate.PerSecond(time.GetTimestamp()));

        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            rate.Record(time.GetTimestamp());
        }
        Assert.Equal(5.0, rate.PerSecond(time.GetTimestamp())!.Value, precision: 6);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1.0, rate.PerSecond(time.GetTimestamp())!.Value, precision: 6);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(rate.PerSecond(time.GetTimestamp()));
    }
}
