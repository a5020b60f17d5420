using System.Globalization;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// perf_analyzer's time-window measurement, as genai-perf drove it (<c>--measurement-interval</c>, <c>--stability-percentage
/// 999</c>, no warm-up): back-to-back windows of 1.2 × the interval from the load's start; a window counts the requests
/// that end inside it (none is an error, and a zero throughput); profiling ends after the first window that closes
/// three in a row each with requests, throughputs and mean latencies within a factor of 1 + stability / 100, or after
/// ten windows (perf_analyzer's <c>--max-trials</c> default). Every request that ended in any window is exported, and
/// genai-perf's means are over those. Feed completions as they happen (<see cref="Add"/>): a window closes once a
/// completion a second past its end arrives, so completions reported slightly out of order still land in theirs.
/// </summary>
public sealed class PerfAnalyzerWindows
{
    /// <summary>perf_analyzer's default <c>--max-trials</c>: windows measured at most.</summary>
    public const int MaxTrials = 10;

    /// <summary>Consecutive windows whose agreement makes a measurement stable (perf_analyzer's stability window).</summary>
    public const int StabilityWindows = 3;

    /// <summary>genai-perf's default <c>--stability-percentage</c>: 999, i.e. throughputs and latencies within 10.99×.</summary>
    public const double GenaiPerfStabilityPercentage = 999;

    /// <summary>perf_analyzer sleeps 1.2 × the measurement interval per window.</summary>
    public const double WindowPerInterval = 1.2;

    // How far past a window's end a completion must be before the window is closed: completions reach Add up to a
    // step's launch late, far less than this.
    private const double CloseMarginSeconds = 1;

    private readonly double _window;
    private readonly double _ratio;
    // Requests and their summed latency per window, by the window their end falls in.
    private readonly int[] _counts = new int[MaxTrials];
    private readonly double[] _latencySums = new double[MaxTrials];
    private int _closed;

    /// <summary>Windows of 1.2 × <paramref name="intervalMs"/>; <paramref name="stabilityPercentage"/> as genai-perf's flag.</summary>
    public PerfAnalyzerWindows(double intervalMs, double stabilityPercentage = GenaiPerfStabilityPercentage)
    {
        if (!(intervalMs > 0) || double.IsInfinity(intervalMs))
            throw new InputException(string.Create(CultureInfo.InvariantCulture, $"--measurement-interval must be a positive number of milliseconds; got {intervalMs}."));
        _window = intervalMs / 1000 * WindowPerInterval;
        _ratio = 1 + stabilityPercentage / 100;
    }

    /// <summary>Seconds one window lasts.</summary>
    public double WindowSeconds => _window;

    /// <summary>When profiling ended, in seconds from the load's start; null while it goes on.</summary>
    public double? StopSeconds { get; private set; }

    /// <summary>True when profiling ended with three agreeing windows, false when it ran out of windows (or goes on).</summary>
    public bool Stable { get; private set; }

    /// <summary>
    /// Records a request ending at <paramref name="endSeconds"/> after <paramref name="latencySeconds"/>; true once
    /// profiling has ended, so the run can stop (later completions change nothing measured).
    /// </summary>
    public bool Add(double endSeconds, double latencySeconds)
    {
        if (StopSeconds is not null) return true;
        while (endSeconds >= (_closed + 1) * _window + CloseMarginSeconds)
            if (Close()) return true;
        var index = (int)Math.Floor(endSeconds / _window);
        if (index is >= 0 and < MaxTrials)
        {
            _counts[index]++;
            _latencySums[index] += latencySeconds;
        }
        return false;
    }

    /// <summary>Closes the windows still open once the run has no more completions: the load went on, none ended.</summary>
    public void Finish()
    {
        while (StopSeconds is null) Close();
    }

    // Closes the oldest open window; true when profiling ends with it.
    private bool Close()
    {
        var n = ++_closed;
        if (n >= StabilityWindows && Agree(n - StabilityWindows)) Stable = true;
        if (Stable || n == MaxTrials) StopSeconds = n * _window;
        return StopSeconds is not null;
    }

    // Whether the stability windows from `first` all have requests, throughputs and mean latencies within the ratio.
    private bool Agree(int first)
    {
        double minRate = double.MaxValue, maxRate = 0, minLatency = double.MaxValue, maxLatency = 0;
        for (var i = first; i < first + StabilityWindows; i++)
        {
            var count = _counts[i];
            if (count == 0) return false;
            var latency = _latencySums[i] / count;
            (minRate, maxRate) = (Math.Min(minRate, count), Math.Max(maxRate, count));
            (minLatency, maxLatency) = (Math.Min(minLatency, latency), Math.Max(maxLatency, latency));
        }
        return maxRate / minRate <= _ratio && maxLatency / minLatency <= _ratio;
    }
}
