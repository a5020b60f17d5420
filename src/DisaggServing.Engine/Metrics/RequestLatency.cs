namespace DisaggServing.Engine.Metrics;

/// <summary>The latencies of one completed request, in seconds.</summary>
/// <param name="Request">The index <see cref="LatencyRecorder.Arrive"/> returned for it.</param>
/// <param name="ArrivalSeconds">When it arrived.</param>
/// <param name="TtftSeconds">Time to first token: first token time minus arrival.</param>
/// <param name="TpotSeconds">Time per output token after the first, (e2e − ttft) / (output − 1); null with one token.</param>
/// <param name="E2eSeconds">End-to-end latency: finish minus arrival.</param>
/// <param name="OutputTokens">Tokens it emitted.</param>
public readonly record struct RequestLatency(
    int Request,
    double ArrivalSeconds,
    double TtftSeconds,
    double? TpotSeconds,
    double E2eSeconds,
    int OutputTokens)
{
    /// <summary>Whether this request meets <paramref name="slo"/>.</summary>
    public bool Meets(SloSpec slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo.IsMet(TtftSeconds * 1000.0, TpotSeconds * 1000.0);
    }
}
