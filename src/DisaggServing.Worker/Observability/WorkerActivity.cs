using System.Diagnostics;

namespace DisaggServing.Worker.Observability;

/// <summary>The worker's trace spans: queue wait, prefill, KV pull and decode of each request.</summary>
public static class WorkerActivity
{
    public const string SourceName = "DisaggServing.Worker";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Records a finished span [<paramref name="start"/>, <paramref name="end"/>] under <paramref name="parent"/>.</summary>
    public static void Record(string name, ActivityContext parent, DateTimeOffset start, DateTimeOffset end, params (string Key, object? Value)[] tags)
    {
        if (end < start)
            return;
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parent, startTime: start);
        if (activity is null)
            return;
        foreach (var (key, value) in tags)
            activity.SetTag(key, value);
        activity.SetEndTime(end.UtcDateTime);
    }
}
