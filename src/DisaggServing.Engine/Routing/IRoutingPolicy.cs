namespace DisaggServing.Engine.Routing;

/// <summary>Chooses which of several candidate engines receives the next request.</summary>
public interface IRoutingPolicy
{
    /// <summary>The name the policy is selected by, such as <c>least-load</c>.</summary>
    string Name { get; }

    /// <summary>The index in <paramref name="candidates"/> of the engine to use.</summary>
    /// <exception cref="ArgumentException"><paramref name="candidates"/> is empty.</exception>
    int Choose(ReadOnlySpan<EngineLoad> candidates);
}
