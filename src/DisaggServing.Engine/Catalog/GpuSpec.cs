namespace DisaggServing.Engine.Catalog;

/// <summary>
/// One GPU model: datasheet peaks plus the efficiency constants the roofline applies to them. The efficiencies
/// are properties of the GPU and its kernels (one set per GPU, never per benchmark point).
/// </summary>
/// <param name="Id">Catalog id, e.g. <c>h100-sxm</c>.</param>
/// <param name="Name">Marketing name.</param>
/// <param name="Bf16Flops">Dense BF16 tensor FLOP/s.</param>
/// <param name="Fp8Flops">Dense FP8 tensor FLOP/s, or null where the GPU has no FP8 tensor cores (FP8 weights then run at BF16 rate).</param>
/// <param name="HbmBytes">HBM capacity as the driver reports it, in bytes.</param>
/// <param name="HbmBandwidth">HBM bandwidth, bytes/s.</param>
/// <param name="NvlinkBandwidth">NVLink bandwidth per GPU per direction, bytes/s.</param>
/// <param name="GemmEfficiency">Fraction of the dense tensor peak that GEMMs of a decode batch's rows sustain (more rows: <see cref="GemmLargeRowsGain"/>).</param>
/// <param name="AttentionEfficiency">Fraction of the BF16 peak that flash attention sustains (attention runs in BF16).</param>
/// <param name="HbmEfficiency">Fraction of HBM bandwidth that weight streaming sustains (KV streaming: <see cref="KvStreamGain"/> times it).</param>
/// <param name="NvlinkEfficiency">Fraction of NVLink bandwidth an all-reduce achieves (bus bandwidth).</param>
/// <param name="CollectiveLatencySeconds">Fixed latency of one small all-reduce across four ranks, where it was fitted (<see cref="AllReduceLatencySeconds"/> gives it for other group sizes).</param>
/// <param name="LayerKernelFloorSeconds">Minimum time of one layer's small kernels (launch and tail effects) that no roofline term covers.</param>
public sealed record GpuSpec(
    string Id,
    string Name,
    double Bf16Flops,
    double? Fp8Flops,
    double HbmBytes,
    double HbmBandwidth,
    double NvlinkBandwidth,
    double GemmEfficiency,
    double AttentionEfficiency,
    double HbmEfficiency,
    double NvlinkEfficiency,
    double CollectiveLatencySeconds,
    double LayerKernelFloorSeconds)
{
    /// <summary>
    /// Fixed latency of one small all-reduce across <paramref name="ranks"/> GPUs: <see cref="CollectiveLatencySeconds"/>
    /// at four, growing with log₂ of the ranks as (1 + log₂ ranks) ÷ 3 — two thirds of it at two ranks, four thirds at
    /// eight. The one-shot kernels the engines run for small messages wait on a flag from every peer and read every peer's
    /// partial sums, and NCCL's own small-message latency rises with the GPUs of a node too (NVIDIA/nccl issue 1259:
    /// about 6 µs on two H100s). A constant overstated TP2's decode steps and understated TP8's: at one to eight clients
    /// the low-concurrency ITLs at TP2 ran 8% high (vLLM, TensorRT-LLM, NIM alike), TP8's NIM ones 11% low
    /// (docs/calibration.md, <i>All-reduce latency by group size</i>).
    /// </summary>
    public double AllReduceLatencySeconds(int ranks) => CollectiveLatencySeconds * (1 + Math.Log2(ranks)) / 3;

    /// <summary>Dense FP4 tensor FLOP/s (Blackwell), or null where the GPU has no FP4 tensor cores (FP4 weights then run at the FP8 or BF16 rate).</summary>
    public double? Fp4Flops { get; init; }

    /// <summary>
    /// How much faster than the weights (<see cref="HbmEfficiency"/>) the attention kernels stream the KV cache, at most
    /// the full bandwidth: 1 where the weight stream already runs at what a plain streaming read reaches. A decode step's
    /// attention reads each sequence's pages front to back, as a copy does; its GEMMs at few rows read the weights tile by
    /// tile, whose fitted efficiency can sit below that (A100). A profile's fitted HBM efficiency scales both.
    /// </summary>
    public double KvStreamGain { get; init; } = 1;

    /// <summary>
    /// Time one thread block of a decode attention kernel that does not split a sequence's context (TensorRT-LLM's masked
    /// MHA without multi-block mode, <see cref="Performance.EngineSpec.UnsplitDecodeAttention"/>; vLLM's V0 shows the same) takes per context token
    /// of one layer: it walks the context serially, so a step's attention lasts at least context × this per layer however
    /// few bytes the KV read is. Latency-bound, so it follows the SM clock rather than HBM.
    /// </summary>
    public double UnsplitDecodeTokenSeconds { get; init; }

    /// <summary>
    /// How many of those unsplit walks (TensorRT-LLM's XQA: one thread block per sequence and KV head, a GQA group's
    /// query heads together) the GPU runs at once, each at <see cref="UnsplitDecodeTokenSeconds"/> a token: a decode
    /// batch with more blocks than this walks in proportionally more turns, whatever its KV read. 0 = no limit.
    /// </summary>
    public double UnsplitDecodeBlocks { get; init; }

    /// <summary>
    /// How much faster than <see cref="GemmEfficiency"/> (the efficiency of GEMMs of a decode batch's few hundred rows
    /// or fewer) GEMMs of many thousand rows run; 1 = the same at every row count. See <see cref="GemmHalfRows"/>.
    /// </summary>
    public double GemmLargeRowsGain { get; init; } = 1;

    /// <summary>
    /// Rows (tokens) per GEMM at which half of <see cref="GemmLargeRowsGain"/> is reached: efficiency =
    /// <see cref="GemmEfficiency"/> × (1 + (gain − 1) × rows ÷ (rows + this)). A GEMM's rows set how many output tiles
    /// it has; few tiles leave SMs idle in the last wave and amortise each tile's prologue and epilogue over little
    /// math, thousands of rows keep every SM busy near the library's peak.
    /// </summary>
    public double GemmHalfRows { get; init; }

    /// <summary>
    /// How much larger than the engine's <see cref="Performance.EngineProfile.AllReduceHalfBytes"/> (fitted on Hopper's
    /// NVLink 4) a TP all-reduce message must be on this GPU to reach the same share of its large-message rate: a
    /// message's fixed costs (the kernels' flag synchronisation between ranks, NCCL's per-step handshakes) stay while
    /// its bytes move faster, so on a link of twice the bandwidth it takes a message twice the size to spend the same
    /// fraction of its time moving bytes. 1 = Hopper's; B200's NVLink 5 (900 GB/s a direction against 450): 2.
    /// </summary>
    public double AllReduceHalfBytesScale { get; init; } = 1;

    /// <summary>
    /// Share of <see cref="Bf16Flops"/> that Ampere's warp-level MMA (mma.sync, the instruction of SM80 kernels such as
    /// vLLM's Marlin) can reach on this GPU: 1 where it is the peak instruction (A100); on Hopper the datasheet peak needs
    /// warpgroup MMA (wgmma), and mma.sync reaches about two thirds of it (the FlashAttention-3 paper's measure).
    /// </summary>
    public double MmaSyncShare { get; init; } = 1;

    /// <summary>
    /// Dense tensor FLOP/s for weights in <paramref name="dtype"/>: the fastest format the GPU has at or above it. MXFP4
    /// experts get the FP4 rate where the GPU has FP4 tensor cores and BF16's elsewhere (Hopper unpacks the weights and
    /// multiplies in BF16). On Blackwell the MMA itself runs MXFP4 weights × MXFP8 activations at FP8's rate, but the
    /// grouped-GEMM efficiency applied to it (<see cref="Performance.StepTimeModel.GroupedGemmEfficiency"/>) was fitted
    /// on NVFP4 experts at the FP4 rate, and a few rows per expert are bound by streaming the same half-byte weights, not
    /// by the MMA: costed at FP8's rate, gpt-oss's B200 figures fall 20-42% short (docs/calibration.md, Models). The
    /// checkpoint's BF16 layers take BF16's rate (<see cref="DTypes.NonExpertWeights"/>). INT8 (W8A8) runs at FP8's
    /// rate where the GPU has FP8 (H100 and H200 1,979 TOPS, B200 4,500, dense) and at twice BF16's on the A100 (624); INT4 W4A16 multiplies
    /// 16-bit activations by weights unpacked to 16 bits, at BF16's rate, and so does NVFP4 below Blackwell (vLLM's FP4
    /// Marlin kernels, weight-only; TensorRT-LLM refuses it there).
    /// </summary>
    public double PeakFlops(DType dtype) => dtype switch
    {
        DType.Int8 => Fp8Flops ?? 2 * Bf16Flops,
        DType.Mxfp4 => Fp4Flops ?? Bf16Flops,
        DType.Fp4 => Fp4Flops ?? Bf16Flops,
        DType.Fp8 when Fp8Flops is { } fp8 => fp8,
        _ => Bf16Flops,
    };
}
