using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Scheduling.Plugins.Health;

/// <summary>
/// <c>health</c> filter: drops endpoints whose last <c>/health</c> probe failed and endpoints whose calls failed within the
/// cooldown (<c>Parameters:ErrorCooldownMs</c>, default <c>Router:ErrorCooldownMs</c>). Not-yet-probed endpoints pass.
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
    public void Filter(SchedulingContext context, List<EngineEndpoint> candidates)
    {
        var now = time.GetTimestamp();
        candidates.RemoveAll(e => e.Health == EndpointHealth.Unhealthy || e.ErroredRecently(now, time, errorCooldown));
    }
}
