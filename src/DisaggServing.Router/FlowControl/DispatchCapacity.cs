namespace DisaggServing.Router.FlowControl;

/// <summary>How much the engines can take now.</summary>
/// <param name="Limit">Most requests in flight at once (<see cref="int.MaxValue"/>: no limit known).</param>
/// <param name="Engines">Routable decode engines.</param>
/// <param name="Saturated">Every routable decode engine reports a full queue or KV cache: hold the current level.</param>
public readonly record struct DispatchCapacity(int Limit, int Engines, bool Saturated)
{
    /// <summary>No engine known: nothing to protect, so the gate is open (the proxy answers as without flow control).</summary>
    public static DispatchCapacity Open { get; } = new(int.MaxValue, 0, false);
}

/// <summary>Where the flow controller learns the engines' room.</summary>
public interface IDispatchCapacity
{
    /// <summary>The capacity now.</summary>
    DispatchCapacity Read();
}
