namespace DisaggServing.Engine.Simulation;

/// <summary>
/// The simulated router's clock. Its plugins read a clock only to age engine errors (the health filter's cooldown),
/// and a simulated engine never errors, so a clock that never moves serves them: the system clock's read was a
/// twelfth of a P/D run (profiled), once per candidate per pick.
/// </summary>
internal sealed class StoppedClock : TimeProvider
{
    public static readonly StoppedClock Instance = new();

    private StoppedClock() { }

    public override long GetTimestamp() => 0;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;
}
