namespace DisaggServing.Engine.Simulation;

/// <summary>
/// An offline run's requests are all queued before the engine takes its first step (trtllm-bench enqueues its dataset,
/// vLLM's <c>LLM.generate</c> adds every prompt, a static batch is one batch), where a served engine starts stepping as
/// soon as its first request is in. Arrivals at one instant are then routed in turn and the engines they reach step only
/// after the last of them, so the first step schedules from every request of that instant.
/// </summary>
internal sealed partial class ClusterRun
{
    private readonly List<SimEngine> _stepAfterArrivals = [];

    /// <summary>True when requests arriving at one instant are all queued before any engine steps (offline); false when each arrival may start a step at once (served).</summary>
    public bool QueuedAtOnce { get; init; }

    // Route's step: deferred while another arrival of this instant is still to be routed, then taken for every engine
    // that an arrival of the instant reached.
    private void StepAfterArrivals(SimEngine engine)
    {
        if (QueuedAtOnce && _events.TryPeek(out var next, out var at) && next.Kind == SimEventKind.Arrival && at.Seconds <= Now)
        {
            if (!_stepAfterArrivals.Contains(engine)) _stepAfterArrivals.Add(engine);
            return;
        }
        foreach (var waiting in _stepAfterArrivals)
            if (waiting != engine) TryStep(waiting);
        _stepAfterArrivals.Clear();
        TryStep(engine);
    }
}
