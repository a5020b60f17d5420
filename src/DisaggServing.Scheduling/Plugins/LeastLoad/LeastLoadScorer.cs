using System.Globalization;

namespace DisaggServing.Scheduling.Plugins.LeastLoad;

/// <summary>
/// <c>least-load</c> scorer: queue + running + KV usage. Requests on an engine = max(WaitingWeight × waiting + running
/// from its vLLM metrics or registry heartbeat, the router's own in-flight count, which is never stale); the request part
/// is min–max normalized over the candidates (least loaded = 1), the KV part is 1 − kv_cache_usage_perc, mixed by
/// <c>KvWeight</c>. Parameters: <c>WaitingWeight</c> (default 2), <c>KvWeight</c> (0..1, default 0.3).
/// </summary>
public sealed class LeastLoadScorer(double waitingWeight = 2, double kvWeight = 0.3) : IScorer
{
    /// <summary>Registered name.</summary>
    public const string PluginName = "least-load";

    private readonly double _kvWeight = Math.Clamp(kvWeight, 0, 1);

    /// <inheritdoc />
    public string Name => PluginName;

    /// <summary>Factory for the registry.</summary>
    public static LeastLoadScorer Create(PluginFactoryContext context) =>
        new(Read(context, "WaitingWeight", 2), Read(context, "KvWeight", 0.3));

    /// <summary>The request load this scorer sees on <paramref name="endpoint"/>.</summary>
    public double RequestLoad(ISchedulingCandidate endpoint)
    {
        var load = endpoint.Load;
        return Math.Max(waitingWeight * load.Waiting + load.Running, endpoint.InFlight);
    }

    /// <inheritdoc />
    public void Score(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, Span<double> scores)
    {
        var min = double.MaxValue;
        var max = double.MinValue;
        for (var i = 0; i < candidates.Count; i++)
        {
            var load = RequestLoad(candidates[i]);
            scores[i] = load;
            min = Math.Min(min, load);
            max = Math.Max(max, load);
        }
        var range = max - min;
        for (var i = 0; i < candidates.Count; i++)
        {
            var requests = range <= 0 ? 1 : (max - scores[i]) / range;
            var kvFree = 1 - Math.Clamp(candidates[i].Load.KvUsage, 0, 1);
            scores[i] = (1 - _kvWeight) * requests + _kvWeight * kvFree;
        }
    }

    private static double Read(PluginFactoryContext context, string key, double fallback) =>
        double.TryParse(context.Parameters[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? value
            : fallback;
}
