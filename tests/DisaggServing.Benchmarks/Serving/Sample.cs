namespace DisaggServing.Benchmarks.Serving;

/// <summary>One request as the client saw it; <see cref="PrefillMs"/> is the router's <c>Server-Timing: prefill</c>.</summary>
internal readonly record struct Sample(double StartSeconds, double EndSeconds, double TtftMs, double E2eMs, int Status, double? PrefillMs)
{
    public bool Ok => Status == 200;
}
