namespace DisaggServing.Engine.Estimation;

/// <summary>Which requests a closed-loop estimate measures, and how it averages inter-token latency.</summary>
public enum MeasureWindow
{
    /// <summary>
    /// After one warm-up wave, with the load kept up behind the measured requests (genai-perf, NIM): steady-state
    /// means; ITL is the mean of each request's own mean gap.
    /// </summary>
    Steady,

    /// <summary>
    /// Every request, from the first wave that starts together to the drain (SGLang's bench_serving, <c>vllm bench
    /// serve</c>): throughput is all output tokens over the whole run, TTFT the mean over all requests, and ITL the
    /// mean over all inter-token gaps, so a long request weighs by its tokens.
    /// </summary>
    All,
}
