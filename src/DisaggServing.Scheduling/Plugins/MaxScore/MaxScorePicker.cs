
namespace DisaggServing.Scheduling.Plugins.MaxScore;

/// <summary><c>max-score</c> picker: the highest total score; ties are broken in turn so equal engines share the load.</summary>
public sealed class MaxScorePicker : IPicker
{
    /// <summary>Registered name.</summary>
    public const string PluginName = "max-score";

    /// <summary>Scores this close count as equal.</summary>
    public const double Tolerance = 1e-9;

    private int _turn = -1;

    /// <inheritdoc />
    public string Name => PluginName;

    /// <inheritdoc />
    public int Pick(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, ReadOnlySpan<double> scores)
    {
        var count = candidates.Count;
        if (count == 0) return -1;
        var best = double.MinValue;
        for (var i = 0; i < count; i++)
            best = Math.Max(best, scores[i]);
        var ties = 0;
        for (var i = 0; i < count; i++)
            if (scores[i] >= best - Tolerance) ties++;
        var chosen = (Interlocked.Increment(ref _turn) & int.MaxValue) % ties;
        for (var i = 0; i < count; i++)
            if (scores[i] >= best - Tolerance && chosen-- == 0)
                return i;
        return -1;
    }
}
