
namespace DisaggServing.Scheduling.Plugins.RoundRobin;

/// <summary><c>round-robin</c> picker: takes the candidates in turn, ignoring scores.</summary>
public sealed class RoundRobinPicker : IPicker
{
    /// <summary>Registered name.</summary>
    public const string PluginName = "round-robin";

    private int _next = -1;

    /// <inheritdoc />
    public string Name => PluginName;

    /// <inheritdoc />
    public int Pick(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, ReadOnlySpan<double> scores)
    {
        if (candidates.Count == 0) return -1;
        var turn = Interlocked.Increment(ref _next) & int.MaxValue;
        return turn % candidates.Count;
    }
}
