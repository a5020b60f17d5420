
namespace DisaggServing.Scheduling;

/// <summary>Picks one candidate given the weighted total scores.</summary>
public interface IPicker : ISchedulingPlugin
{
    /// <summary>The index of the chosen candidate, or -1 for none.</summary>
    int Pick(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, ReadOnlySpan<double> scores);
}
