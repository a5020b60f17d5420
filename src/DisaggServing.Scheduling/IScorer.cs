
namespace DisaggServing.Scheduling;

/// <summary>Scores candidates in [0, 1] (higher is better); a profile adds the scores up with weights.</summary>
public interface IScorer : ISchedulingPlugin
{
    /// <summary>Writes the score of <c>candidates[i]</c> to <c>scores[i]</c>.</summary>
    void Score(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, Span<double> scores);
}
