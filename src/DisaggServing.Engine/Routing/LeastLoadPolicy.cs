namespace DisaggServing.Engine.Routing;

/// <summary>
/// Picks the engine with the lowest load score, waiting + running + <see cref="KvUsageWeight"/> × KV usage +
/// <see cref="TransferWeight"/> × in-flight transfers (llm-d's queue, running and KV-usage scorers folded into one).
/// Ties go to the lowest index, so the choice is deterministic.
/// </summary>
public sealed class LeastLoadPolicy : IRoutingPolicy
{
    /// <summary>The name this policy is selected by.</summary>
    public const string PolicyName = "least-load";

    /// <summary>Default <see cref="KvUsageWeight"/>: a full KV cache weighs like ten queued requests, enough to steer
    /// traffic away from an engine close to preempting without letting cache usage outweigh real queues.</summary>
    public const double DefaultKvUsageWeight = 10.0;

    /// <summary>Creates the policy.</summary>
    /// <param name="kvUsageWeight">Score added by a completely full KV cache.</param>
    /// <param name="transferWeight">Score added per in-flight KV transfer.</param>
    /// <exception cref="InputException">A weight is negative or not finite.</exception>
    public LeastLoadPolicy(double kvUsageWeight = DefaultKvUsageWeight, double transferWeight = 1.0)
    {
        RequireWeight(kvUsageWeight, "KV usage weight");
        RequireWeight(transferWeight, "transfer weight");
        KvUsageWeight = kvUsageWeight;
        TransferWeight = transferWeight;
    }

    /// <summary>Score added by a completely full KV cache.</summary>
    public double KvUsageWeight { get; }

    /// <summary>Score added per in-flight KV transfer.</summary>
    public double TransferWeight { get; }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <summary>The load score of one engine; lower is better.</summary>
    public double Score(EngineLoad load) =>
        load.Waiting + load.Running + (KvUsageWeight * load.KvUsage) + (TransferWeight * load.InFlightTransfers);

    /// <inheritdoc />
    public int Choose(ReadOnlySpan<EngineLoad> candidates)
    {
        if (candidates.IsEmpty)
        {
            throw new ArgumentException("There is no engine to route to.", nameof(candidates));
        }

        var best = 0;
        var bestScore = Score(candidates[0]);
        for (var i = 1; i < candidates.Length; i++)
        {
            var score = Score(candidates[i]);
            if (score < bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return best;
    }

    private static void RequireWeight(double weight, string name)
    {
        if (!(weight >= 0) || double.IsInfinity(weight))
        {
            throw new InputException($"least-load {name} must be a finite number of 0 or more; got {weight}.");
        }
    }
}
