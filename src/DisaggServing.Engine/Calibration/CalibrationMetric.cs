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
}
