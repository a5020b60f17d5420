namespace DisaggServing.Engine.Performance;

/// <summary>The parts of one iteration's time, per pipeline stage unless said otherwise (seconds).</summary>
/// <param name="ComputeSeconds">Tensor-core time: GEMMs at the weight dtype's peak, attention at BF16.</param>
/// <param name="MemorySeconds">HBM time: weights (MoE: experts actually hit) and KV read.</param>
/// <param name="ElementwiseSeconds">Kernels between the GEMMs (norms, activations, RoPE) and the per-layer launch floor.</param>
/// <param name="TpCommSeconds">Tensor-parallel all-reduces over NVLink.</param>
/// <param name="PpCommSeconds">Pipeline hand-offs between stages over EFA, whole step.</param>
/// <param name="OverheadSeconds">Host-side cost, whole step.</param>
/// <param name="Stages">Pipeline stages the batch passes through in turn.</param>
public readonly record struct StepCost(double ComputeSeconds, double MemorySeconds, double ElementwiseSeconds, double TpCommSeconds, double PpCommSeconds,
    double OverheadSeconds, int Stages)
{
    /// <summary>Roofline: a stage takes the longer of compute and memory, then its all-reduces; stages run in turn.</summary>
    public double TotalSeconds => Stages * (Math.Max(ComputeSeconds, MemorySeconds) + ElementwiseSeconds + TpCommSeconds) + PpCommSeconds + OverheadSeconds;

    /// <summary>True when compute, not HBM, bounds the step.</summary>
    public bool ComputeBound => ComputeSeconds >= MemorySeconds;
}
