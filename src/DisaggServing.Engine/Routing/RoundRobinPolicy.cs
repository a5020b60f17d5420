namespace DisaggServing.Engine.Routing;

/// <summary>Takes candidates in turn, ignoring load. Safe to share between threads.</summary>
public sealed class RoundRobinPolicy : IRoutingPolicy
{
    /// <summary>The name this policy is selected by.</summary>
    public const string PolicyName = "round-robin";

    private long _calls = -1;

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <summary>Index <c>n mod count</c> on the n-th call (from 0), so a fixed candidate list is cycled in order.</summary>
    public int Choose(ReadOnlySpan<EngineLoad> candidates)
    {
        if (candidates.IsEmpty)
        {
            throw new ArgumentException("There is no engine to route to.", nameof(candidates));
        }

        var call = (ulong)Interlocked.Increment(ref _calls);
        return (int)(call % (ulong)candidates.Length);
    }
}
