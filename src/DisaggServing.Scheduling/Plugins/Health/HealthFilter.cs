
namespace DisaggServing.Scheduling.Plugins.Health;

/// <summary>
/// <c>health</c> filter: drops endpoints whose last <c>/health</c> probe failed and endpoints whose calls failed within the
/// cooldown (<c>Parameters:ErrorCooldownMs</c>, default <c>Router:ErrorCooldownMs</c>). Not-yet-probed endpoints pass.
/// When every probe-healthy candidate failed recently, they are all kept (one transient error must not take the only
/// engine of a role out of service); an engine whose probe fails is always dropped.
/// </summary>
public sealed class HealthFilter(TimeProvider time, TimeSpan errorCooldown) : IFilter
{
    /// <summary>Registered name.</summary>
    public const string PluginName = "health";

    /// <inheritdoc />
    public string Name => PluginName;

    /// <summary>How long a failed call keeps an endpoint out.</summary>
    public TimeSpan ErrorCooldown => errorCooldown;

    /// <summary>Factory for the registry.</summary>
    public static HealthFilter Create(PluginFactoryContext context)
    {
        var ms = int.TryParse(context.Parameters["ErrorCooldownMs"], out var configured) ? configured : context.Options.ErrorCooldownMs;
        return new HealthFilter(context.Time, TimeSpan.FromMilliseconds(Math.Max(0, ms)));
    }

    /// <inheritdoc />
    public void Filter(SchedulingContext context, List<ISchedulingCandidate> candidates)
    {
        // Index loops, no lambdas: a closure over the clock would be allocated on every pick.
        var kept = 0;
        for (var i = 0; i < candidates.Count; i++)
            if (candidates[i].Health != EndpointHealth.Unhealthy) candidates[kept++] = candidates[i];
        candidates.RemoveRange(kept, candidates.Count - kept);
        var now = time.GetTimestamp();
        var fresh = 0;
        foreach (var endpoint in candidates)
            if (!endpoint.ErroredRecently(now, time, errorCooldown)) fresh++;
        if (fresh == 0 || fresh == candidates.Count) return;
        kept = 0;
        for (var i = 0; i < candidates.Count; i++)
            if (!candidates[i].ErroredRecently(now, time, errorCooldown)) candidates[kept++] = candidates[i];
        candidates.RemoveRange(kept, candidates.Count - kept);
    }
}
