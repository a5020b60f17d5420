namespace DisaggServing.Engine.Estimation;

/// <summary>Which requests a closed-loop estimate measures, and how it averages inter-token latency.</summary>
public enum MeasureWindow
{
    /// <summary>
    /// After one warm-up wave, with the load kept up behind the measured requests (NIM's benchmarks; genai-perf with
    /// warm-up requests): steady-state means; ITL is the mean of each request's own mean gap.
    /// </summary>
    Steady,

    /// <summary>
    /// Every request, from the first wave that starts together to the drain (SGLang's bench_serving, <c>vllm bench
    /// serve</c>): throughput is all output tokens over the whole run, TTFT the mean over all requests, and ITL the
    /// mean over all inter-token gaps, so a long request weighs by its tokens.
    /// </summary>
    All,

    /// <summary>
    /// From the load's start, no warm-up, with the load kept up behind the measured requests: the first wave, sent
    /// together, and the queue it leaves count. genai-perf before its warm-up option (the one NIM 1.0's benchmarks ran)
    /// drove perf_analyzer, whose measurement windows begin as the load starts and whose profile export keeps every
    /// window's requests. By count (the first requests sent) unless <see cref="EstimateOptions.MeasurementIntervalMs"/>
    /// measures perf_analyzer's time windows (<see cref="PerfAnalyzerWindows"/>). ITL as <see cref="Steady"/>.
    /// </summary>
    FromStart,
}
