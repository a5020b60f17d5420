namespace DisaggServing.Engine.Performance;

/// <summary>
/// Host-side costs of one engine iteration that no GPU roofline sees: scheduling, input preparation, kernel
/// launches (CUDA graphs keep these small), sampling and output processing. Software constants, shared by all
/// GPUs.
/// </summary>
/// <param name="StepSeconds">Fixed cost of one iteration.</param>
/// <param name="PerSequenceSeconds">Cost per scheduled sequence (sampling, detokenization, bookkeeping).</param>
public sealed record EngineOverheads(double StepSeconds, double PerSequenceSeconds)
{
    /// <summary>The defaults every calibration figure was produced with.</summary>
    public static EngineOverheads Default { get; } = new(StepSeconds: 1.0e-3, PerSequenceSeconds: 4e-6);

    /// <summary>No overhead: for roofline bounds in tests.</summary>
    public static EngineOverheads None { get; } = new(0, 0);
}
