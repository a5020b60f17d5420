using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Scheduling;

/// <summary>Picks one candidate given the weighted total scores.</summary>
public interface IPicker : ISchedulingPlugin
{
    /// <summary>The index of the chosen candidate, or -1 for none.</summary>
    int Pick(SchedulingContext context, IReadOnlyList<EngineEndpoint> candidates, ReadOnlySpan<double> scores);
}
