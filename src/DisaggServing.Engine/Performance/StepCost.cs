namespace DisaggServing.Engine.Performance;

/// <summary>The parts of one iteration's time, per pipeline stage unless said otherwise (seconds).</summary>
/// <param name="ComputeSeconds">Tensor-core time of the GEMMs at the weight dtype's peak.</param>
/// <param name="MemorySeconds">HBM time of the weights (MoE: experts actually hit).</param>
/// <param name="ElementwiseSeconds">Kernels between the GEMMs (norms, activations, RoPE) and the per-layer launch floor.</param>
/// <param name="TpCommSeconds">Tensor-parallel all-reduces over NVLink.</param>
/// <param name="PpCommSeconds">Pipeline hand-offs between stages over EFA, whole step.</param>
/// <param name="OverheadSeconds">Host-side cost, whole step.</param>
/// <param name="Stages">Pipeline stages the batch passes through in turn.</param>
/// <param name="AttentionComputeSeconds">Tensor-core time of the attention kernels (BF16), including DSA's indexer.</param>
/// <param name="KvSeconds">HBM time of the KV cache the attention kernels read.</param>
/// <param name="DraftSeconds">Speculative decoding's draft passes after the verifying step (<see cref="SpeculativeDecoding"/>), whole step.</param>
/// <param name="HostLaunchSeconds">Per stage, the host's time to launch the step's kernels when it runs eagerly (0 when replayed from a CUDA graph), and vLLM V0's host time on the step's sequences (<see cref="EngineSpec.VllmV0"/>): host work the GPU's step runs beside.</param>
public readonly record struct StepCost(double ComputeSeconds, double MemorySeconds, double ElementwiseSeconds, double TpCommSeconds, double PpCommSeconds,
    double OverheadSeconds, int Stages, double HostLaunchSeconds = 0, double AttentionComputeSeconds = 0, double KvSeconds = 0, double DraftSeconds = 0)
{
    /// <summary>
    /// Exponent of the soft roofline that joins compute and memory: (c^p + m^p)^(1/p). A kernel overlaps its loads
    /// with its math only partly (prologue, epilogue, waves that are all load or all math), which costs most near the
    /// ridge, where both are of a size (large-batch decode: 2^(1/p) there); far from it the larger term rules alone.
    /// </summary>
    public const double RooflineExponent = 2;

    /// <summary>
    /// Soft roofline of the GEMMs (compute against weight reads, see <see cref="RooflineExponent"/>) plus that of the
    /// attention kernels (compute against KV reads): they are separate kernels, so a large decode batch's KV stream
    /// cannot hide behind its GEMMs' math; then the stage's kernels between GEMMs and its all-reduces; an eager step's host launches run alongside that GPU time and join it the same soft way (the
    /// host runs ahead while the GPU is busy with large GEMMs, the GPU waits on the host through runs of small kernels);
    /// stages run in turn; a speculative step's draft passes follow it.
    /// </summary>
    public double TotalSeconds =>
        Stages * Roofline(Roofline(ComputeSeconds, MemorySeconds) + Roofline(AttentionComputeSeconds, KvSeconds) + ElementwiseSeconds + TpCommSeconds, HostLaunchSeconds) + PpCommSeconds + OverheadSeconds + DraftSeconds;

    private static double Roofline(double compute, double memory)
    {
        var longer = Math.Max(compute, memory);
        if (longer <= 0) return 0;
        var ratio = Math.Min(compute, memory) / longer;
        return longer * Math.Pow(1 + Math.Pow(ratio, RooflineExponent), 1 / RooflineExponent);
    }

    /// <summary>True when compute, not HBM, bounds the step.</summary>
    public bool ComputeBound => ComputeSeconds + AttentionComputeSeconds >= MemorySeconds + KvSeconds;
}
