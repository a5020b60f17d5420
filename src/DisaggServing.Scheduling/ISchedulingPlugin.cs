namespace DisaggServing.Scheduling;

/// <summary>A filter, scorer or picker, created by name from configuration.</summary>
public interface ISchedulingPlugin
{
    /// <summary>The registered name (e.g. <c>least-load</c>).</summary>
    string Name { get; }

    /// <summary>Whether the plugin reads <see cref="SchedulingContext.PrefixMatches"/> (the handler then asks the KV index first).</summary>
    bool UsesPrefixMatches => false;
}
