using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>The quantity a calibration figure states.</summary>
public enum CalibrationMetric
{
    /// <summary>Output tokens per second.</summary>
    OutputTokensPerSecond,

    /// <summary>Mean time to first token, ms (benchmark tables report the average).</summary>
    TtftMeanMs,

    /// <summary>Mean inter-token latency, ms.</summary>
    ItlMeanMs,

    /// <summary>Completed requests per second (<c>vllm bench throughput</c>'s and <c>vllm bench serve</c>'s "Tput (req/s)").</summary>
    RequestsPerSecond,

    /// <summary>Mean end-to-end request latency, ms (GuideLLM's "Request Latency"; one request at a time, a single-stream latency).</summary>
    E2eMeanMs,

    /// <summary>Median time to first token, ms (pages that publish bench_serving's P50, as SGLang's cookbook does since July 2026).</summary>
    TtftMedianMs,

    /// <summary>Median time per output token after the first, ms (bench_serving's and vllm bench serve's median TPOT).</summary>
    TpotMedianMs,
}

/// <summary>Where each <see cref="CalibrationMetric"/> stands in an estimate.</summary>
public static class CalibrationMetrics
{
    /// <summary>The value of <paramref name="metric"/> in <paramref name="result"/> (0 where the run has none).</summary>
    public static double Of(this EstimateResult result, CalibrationMetric metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        return metric switch
        {
            CalibrationMetric.OutputTokensPerSecond => result.OutputTokensPerSecond ?? 0,
            CalibrationMetric.TtftMeanMs => result.TtftMeanMs ?? 0,
            CalibrationMetric.ItlMeanMs => result.ItlMeanMs ?? 0,
            CalibrationMetric.RequestsPerSecond => result.RequestsPerSecond ?? 0,
            CalibrationMetric.E2eMeanMs => result.E2eMeanMs ?? 0,
            CalibrationMetric.TtftMedianMs => result.TtftMs ?? 0,
            CalibrationMetric.TpotMedianMs => result.TpotMs ?? 0,
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    /// <summary>True for a rate that grows with the engines run side by side (tok/s, requests/s); false for a latency.</summary>
    public static bool IsThroughput(this CalibrationMetric metric) =>
        metric is CalibrationMetric.OutputTokensPerSecond or CalibrationMetric.RequestsPerSecond;
}
