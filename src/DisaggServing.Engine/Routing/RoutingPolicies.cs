namespace DisaggServing.Engine.Routing;

/// <summary>Routing policies by name, as configuration and the CLI select them.</summary>
public static class RoutingPolicies
{
    /// <summary>The known policy names.</summary>
    public static IReadOnlyList<string> Names { get; } = [RoundRobinPolicy.PolicyName, LeastLoadPolicy.PolicyName];

    /// <summary>A new instance of the policy called <paramref name="name"/> (case-insensitive), with default settings.</summary>
    /// <exception cref="InputException">No policy has that name; the message lists the known ones.</exception>
    public static IRoutingPolicy Create(string? name)
    {
        var key = name?.Trim() ?? string.Empty;
        if (key.Equals(RoundRobinPolicy.PolicyName, StringComparison.OrdinalIgnoreCase))
        {
            return new RoundRobinPolicy();
        }

        if (key.Equals(LeastLoadPolicy.PolicyName, StringComparison.OrdinalIgnoreCase))
        {
            return new LeastLoadPolicy();
        }

        throw new InputException($"unknown routing policy '{name}'; use one of: {string.Join(", ", Names)}.");
    }
}
