namespace DisaggServing.Engine.Simulation;

/// <summary>What an engine with an open <see cref="DecodeRun"/> asks of the run that drives it.</summary>
internal interface IDecodeRunHost
{
    /// <summary>Closes the engine's run at the event being processed: applies the steps done by then and queues the step in flight.</summary>
    void CloseRun(SimEngine engine);

    /// <summary>Allocates the blocks the engine's run has taken by the event being processed, for a read of its load.</summary>
    void CatchUpRun(SimEngine engine);
}
