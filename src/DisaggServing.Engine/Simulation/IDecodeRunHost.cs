namespace DisaggServing.Engine.Simulation;

/// <summary>What an engine with an open <see cref="DecodeRun"/> asks of the run that drives it.</summary>
internal interface IDecodeRunHost
{
    /// <summary>Ends the engine's run at the event being processed with its step in flight (or closes it, when that is its last step), so the scheduler can be changed.</summary>
    void CloseRun(SimEngine engine);

    /// <summary>Allocates the blocks the engine's run has taken by the event being processed, for a read of its load.</summary>
    void CatchUpRun(SimEngine engine);

    /// <summary>A member of the engine's decode cohort left it having sampled <paramref name="tokens"/> tokens, the last at the engine's latest step end.</summary>
    void CohortLeft(SimEngine engine, int hostIndex, int tokens);
}
