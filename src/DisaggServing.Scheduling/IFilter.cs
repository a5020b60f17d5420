
namespace DisaggServing.Scheduling;

/// <summary>Removes candidates that must not serve the request.</summary>
public interface IFilter : ISchedulingPlugin
{
    /// <summary>Removes unsuitable endpoints from <paramref name="candidates"/> in place.</summary>
    void Filter(SchedulingContext context, List<ISchedulingCandidate> candidates);
}
