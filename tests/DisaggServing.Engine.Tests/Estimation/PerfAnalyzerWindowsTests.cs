using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Tests.Estimation;

public class PerfAnalyzerWindowsTests
{
    // genai-perf --measurement-interval 60000: windows of 72 s.
    private const double Interval = 60_000, Window = 72;

    // Feeds completions at the given times (seconds), each with the given latency, then closes what is left open.
    private static PerfAnalyzerWindows Fed(IEnumerable<double> ends, Func<double, double>? latency = null)
    {
        var windows = new PerfAnalyzerWindows(Interval);
        foreach (var end in ends)
            if (windows.Add(end, latency?.Invoke(end) ?? 10)) break;
        windows.Finish();
        return windows;
    }

    private static IEnumerable<double> Every(double seconds, double from = 0, double to = 1000)
    {
        for (var t = from + seconds; t <= to; t += seconds) yield return t;
    }

    [Fact]
    public void A_steady_load_is_measured_for_three_windows_of_one_point_two_times_the_interval()
    {
        var windows = Fed(Every(1.5));
        Assert.Equal(Window, windows.WindowSeconds, 9);
        Assert.Equal((3 * Window, true), (windows.StopSeconds!.Value, windows.Stable));
    }

    [Fact]
    public void A_window_in_which_no_request_ends_starts_the_count_of_three_again()
    {
        // Two-minute requests of one client: one ends every other window ([72,144) 120 s, [216,288) 240 s, [360,432)
        // 360 s...), never three windows in a row, so perf_analyzer measures all ten.
        var windows = Fed([120, 240, 360, 480, 600]);
        Assert.Equal((PerfAnalyzerWindows.MaxTrials * Window, false), (windows.StopSeconds!.Value, windows.Stable));

        // None in [0,72), then one in each of [72,144), [144,216) and [216,288): the second to fourth windows agree.
        var later = Fed([100, 150, 250, 300, 350, 420]);
        Assert.Equal((4 * Window, true), (later.StopSeconds!.Value, later.Stable));
    }

    [Fact]
    public void Windows_whose_throughputs_differ_more_than_the_stability_percentage_allows_are_not_stable()
    {
        // One request in the first window, then n in each later one: 12× is beyond 999%'s 10.99×, 10× within it.
        static IEnumerable<double> Ends(int n) => new[] { 30.0 }.Concat(Enumerable.Range(0, 5 * n).Select(i => Window + 0.01 + i * Window / n));
        Assert.Equal(4 * Window, Fed(Ends(12)).StopSeconds!.Value);
        Assert.Equal(3 * Window, Fed(Ends(10)).StopSeconds!.Value);
    }

    [Fact]
    public void Windows_whose_mean_latencies_differ_more_than_the_stability_percentage_allows_are_not_stable()
    {
        // A queue that builds: requests ending in the first window waited 5 s, later ones 60 s (12×).
        var windows = Fed(Every(2), end => end < Window ? 5 : 60);
        Assert.Equal(4 * Window, windows.StopSeconds!.Value);
    }

    [Fact]
    public void A_completion_reported_just_after_a_window_closes_is_counted_in_the_window_it_ended_in()
    {
        var windows = new PerfAnalyzerWindows(Interval);
        Assert.False(windows.Add(Window + 0.2, 10));
        // Reported late by a step's launch: it ended inside the first window, which is still open within the margin.
        Assert.False(windows.Add(Window - 0.1, 10));
        Assert.Null(windows.StopSeconds);
    }

    [Fact]
    public void Once_profiling_ends_later_completions_change_nothing()
    {
        var windows = new PerfAnalyzerWindows(Interval);
        var stopped = Every(1.5).TakeWhile(t => !windows.Add(t, 10)).Count();
        Assert.True(stopped > 0);
        Assert.Equal(3 * Window, windows.StopSeconds!.Value);
        Assert.True(windows.Add(5000, 10));
        Assert.Equal(3 * Window, windows.StopSeconds!.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_measurement_interval_that_is_not_a_positive_number_is_refused_naming_the_flag(double interval)
    {
        var e = Assert.Throws<InputException>(() => new PerfAnalyzerWindows(interval));
        Assert.Contains("--measurement-interval", e.Message);
    }
}
