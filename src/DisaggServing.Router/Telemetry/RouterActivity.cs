using System.Diagnostics;

namespace DisaggServing.Router.Telemetry;

/// <summary>The router's OpenTelemetry source: one <c>router.request</c> span per request with <c>schedule</c>, <c>prefill</c> and <c>decode</c> children.</summary>
public static class RouterActivity
{
    /// <summary>Source name (matched by ServiceDefaults' <c>DisaggServing.*</c>).</summary>
    public const string SourceName = "DisaggServing.Router";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
