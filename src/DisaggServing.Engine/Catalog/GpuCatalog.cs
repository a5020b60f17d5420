namespace DisaggServing.Engine.Catalog;

/// <summary>
/// GPUs by id. Peaks are datasheet figures; capacities are what the driver reports (what vLLM's
/// gpu-memory-utilization multiplies). Efficiencies are one set per GPU generation; see docs/calibration.md.
/// </summary>
public static class GpuCatalog
{
    private const double GiB = 1024d * 1024 * 1024;

    // Hopper constants: a fit, not measurements from outside. GEMM 0.6 of the dense peak, attention 0.65 of the BF16
    // peak and HBM 0.875 (0.85 before GEMMs and attention got a roofline each) were fitted by hand, one set for H100 and H200, to the TensorRT-LLM perf overview's H100 and
    // H200 FP8 figures (trtllm-bench, offline; Llama-3.3-70B, Llama-3.1-8B, Llama-3.1-405B, Qwen3-235B) and NVIDIA NIM
    // 1.8.0 (Llama-3.3-70B TP2, 5000/500, 1-250 clients), with the soft roofline of StepCost. The 25 µs per-layer
    // kernel floor belongs to the same fit. From outside: the 10 µs all-reduce latency is AIConfigurator's p2p_latency;
    // NVLink 0.8 is a round assumption. See docs/calibration.md for the figures and the known misses. GEMM efficiency
    // stays flat in the rows (GemmLargeRowsGain 1): a rise with the rows as A100's would take Llama-3.1-8B's large-batch
    // decode (128/2048, ~1,500 rows) out of tolerance before it closed Llama-3.1-405B's TP8 gap, which 70B and 8B at the
    // same rows do not share (docs/calibration.md, "Known misses").
    private const double HopperGemm = 0.6, HopperAttention = 0.65, HopperHbm = 0.875, HopperNvlink = 0.8, HopperLayerFloor = 25e-6;

    // Blackwell constants: fitted (one set) to TensorRT-LLM's B200 figures in docs/calibration.md (Llama-3.3-70B TP1
    // and Llama-3.1-405B TP4 in NVFP4, Qwen3-235B-A22B TP8 NVFP4 with attention DP); the FP4 GEMMs reach a smaller
    // fraction of their doubled peak and the HBM3e streams at a lower fraction of its 8 TB/s than Hopper's. NVLink 5
    // keeps Hopper's large-message all-reduce efficiency (0.8; lower values slowed the fitted prefill-heavy 405B TP4
    // rows and SGLang's B200 TTFTs) and doubles the message size of the engine's mid-size curve (AllReduceHalfBytesScale):
    // TensorRT-LLM's decode-step all-reduces (one-shot/two-shot kernels, NCCL above their workspace; no MNNVL on one HGX
    // node) pay fixed costs that twice the bandwidth does not shrink. A KV-read efficiency of its own (vLLM's FP8-KV post
    // reads KV at ≈0.9 of peak) was tried and not applied: docs/calibration.md, "B200 attention KV reads".
    // mma.sync on Hopper: about two thirds of the wgmma peak (the FlashAttention-3 paper, Shah et al. 2024).
    private const double HopperMmaSyncShare = 2.0 / 3;
    // Unsplit decode attention's walk per context token and layer (GpuSpec.UnsplitDecodeTokenSeconds): fitted on the DLI
    // course's older NIM at one client (docs/calibration.md, Engine profiles).
    private const double HopperUnsplitDecodeToken = 8.5e-9, AmpereUnsplitDecodeToken = 13e-9;
    // ...and how many such walks run at once (GpuSpec.UnsplitDecodeBlocks): fitted on the same NIM's 50-client ITLs, where
    // FP8 and 16-bit engines grow alike with the context (KV of half the bytes, the same time), together with the
    // streamed response each running request costs a served TensorRT engine per step (EngineProfile.
    // TensorRtEngineStreamedSequenceSeconds); about a quarter of the SMs on both (132 and 108).
    private const double HopperUnsplitDecodeBlocks = 32, AmpereUnsplitDecodeBlocks = 26;
    // A100's attention kernels stream KV at 0.85 of its 2.04 TB/s (GpuSpec.KvStreamGain: 0.85 ÷ its 0.8 weight stream), about
    // what a plain read reaches on HBM2e; Hopper's 0.875 already is. Chosen on the 117 A100 fit figures (lowest mean |error|
    // of 0.8-1.0, no checked figure leaving ±15%); docs/calibration.md, "A100 KV stream".
    private const double AmpereKvStreamGain = 0.85 / 0.8;
    private const double BlackwellGemm = 0.45, BlackwellAttention = 0.6, BlackwellHbm = 0.6, BlackwellLayerFloor = 20e-6;

    /// <summary>NVIDIA H100 SXM5 80 GB. Source: NVIDIA H100 datasheet (989/1,979 TFLOP/s dense, 3.35 TB/s, NVLink 4 900 GB/s bidirectional).</summary>
    public static readonly GpuSpec H100Sxm = new("h100-sxm", "NVIDIA H100 SXM 80GB",
        Bf16Flops: 989e12, Fp8Flops: 1979e12, HbmBytes: 79.19 * GiB, HbmBandwidth: 3.35e12, NvlinkBandwidth: 450e9,
        GemmEfficiency: HopperGemm, AttentionEfficiency: HopperAttention, HbmEfficiency: HopperHbm,
        NvlinkEfficiency: HopperNvlink, CollectiveLatencySeconds: 10e-6, LayerKernelFloorSeconds: HopperLayerFloor)
    {
        MmaSyncShare = HopperMmaSyncShare, UnsplitDecodeTokenSeconds = HopperUnsplitDecodeToken, UnsplitDecodeBlocks = HopperUnsplitDecodeBlocks,
    };

    /// <summary>NVIDIA H200 SXM 141 GB: H100 compute, HBM3e 4.8 TB/s. Source: NVIDIA H200 datasheet (peaks); efficiencies: the Hopper fit (H100 and H200 figures).</summary>
    public static readonly GpuSpec H200Sxm = new("h200-sxm", "NVIDIA H200 SXM 141GB",
        Bf16Flops: 989e12, Fp8Flops: 1979e12, HbmBytes: 139.8 * GiB, HbmBandwidth: 4.8e12, NvlinkBandwidth: 450e9,
        GemmEfficiency: HopperGemm, AttentionEfficiency: HopperAttention, HbmEfficiency: HopperHbm,
        NvlinkEfficiency: HopperNvlink, CollectiveLatencySeconds: 10e-6, LayerKernelFloorSeconds: HopperLayerFloor)
    {
        MmaSyncShare = HopperMmaSyncShare, UnsplitDecodeTokenSeconds = HopperUnsplitDecodeToken, UnsplitDecodeBlocks = HopperUnsplitDecodeBlocks,
    };

    /// <summary>NVIDIA B200 (HGX, 180 GB HBM3e, 8 TB/s, ~2.25/4.5 PFLOP/s dense BF16/FP8, NVLink 5 1.8 TB/s bidirectional). Source: NVIDIA DGX/HGX B200 datasheet (peaks); efficiencies: the Blackwell fit to the perf overview's B200 figures.</summary>
    public static readonly GpuSpec B200 = new("b200", "NVIDIA B200 180GB",
        Bf16Flops: 2250e12, Fp8Flops: 4500e12, HbmBytes: 178.4 * GiB, HbmBandwidth: 8.0e12, NvlinkBandwidth: 900e9,
        GemmEfficiency: BlackwellGemm, AttentionEfficiency: BlackwellAttention, HbmEfficiency: BlackwellHbm,
        NvlinkEfficiency: HopperNvlink, CollectiveLatencySeconds: 10e-6, LayerKernelFloorSeconds: BlackwellLayerFloor)
    {
        Fp4Flops = 9000e12,
        AllReduceHalfBytesScale = 2,
        // No B200 figure ran unsplit decode attention: Hopper's (a similar SM clock).
        UnsplitDecodeTokenSeconds = HopperUnsplitDecodeToken, UnsplitDecodeBlocks = HopperUnsplitDecodeBlocks,
    };

    /// <summary>
    /// NVIDIA A100 SXM 80 GB: 312 TFLOP/s BF16, no FP8, 2.04 TB/s, NVLink 3 600 GB/s bidirectional. Source: NVIDIA A100
    /// datasheet (peaks). GEMM efficiency rises with the rows per GEMM: 0.45 of the BF16 peak at a decode batch's few
    /// hundred rows, 1.8 × that (0.81, near what cuBLAS sustains on large BF16 GEMMs) at many thousands, half-way at
    /// 3,000 rows. Fitted to TensorRT-LLM's v0.14 perf overview (LLaMA v3 70B FP16, 1000/1000, TP4 and TP8, whose time is
    /// decode batches of hundreds of rows; TP2 held out) together with SGLang's single-client Llama-3.1-70B TP8 prefill of
    /// 4,194-token prompts (SGLang cookbook, held out), which needs GEMMs well above 0.5 of the peak; the row at which half
    /// the gain is reached is held down by SGLang's 16-client TTFT at 3,750-token prompts (docs/calibration.md). Attention
    /// 0.5, HBM 0.8, the 12 µs all-reduce and the 30 µs layer floor are estimates those figures do not pin down.
    /// </summary>
    public static readonly GpuSpec A100_80G = new("a100-80g", "NVIDIA A100 SXM 80GB",
        Bf16Flops: 312e12, Fp8Flops: null, HbmBytes: 79.15 * GiB, HbmBandwidth: 2.039e12, NvlinkBandwidth: 300e9,
        GemmEfficiency: 0.45, AttentionEfficiency: 0.5, HbmEfficiency: 0.8, NvlinkEfficiency: 0.8, CollectiveLatencySeconds: 12e-6, LayerKernelFloorSeconds: 30e-6)
    {
        GemmLargeRowsGain = 1.8, GemmHalfRows = 3000, UnsplitDecodeTokenSeconds = AmpereUnsplitDecodeToken, UnsplitDecodeBlocks = AmpereUnsplitDecodeBlocks,
        KvStreamGain = AmpereKvStreamGain,
    };

    /// <summary>NVIDIA A100 SXM 40 GB (the GPU of p4d.24xlarge): as the 80 GB part with 1.56 TB/s HBM2. Source: NVIDIA A100 datasheet.</summary>
    public static readonly GpuSpec A100_40G = A100_80G with { Id = "a100-40g", Name = "NVIDIA A100 SXM 40GB", HbmBytes = 39.4 * GiB, HbmBandwidth = 1.555e12 };

    private static readonly Dictionary<string, GpuSpec> ById =
        new[] { H100Sxm, H200Sxm, B200, A100_80G, A100_40G }.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every GPU, by id.</summary>
    public static IReadOnlyDictionary<string, GpuSpec> All => ById;

    /// <summary>
    /// The GPU with this id or alias (<see cref="GpuAliases"/>: case-insensitive, spaces and underscores as dashes); an
    /// <see cref="InputException"/> naming <paramref name="field"/>, the closest ids and every modelled GPU otherwise.
    /// </summary>
    public static GpuSpec Get(string id, string field = "--gpu")
    {
        ArgumentNullException.ThrowIfNull(id);
        var name = GpuAliases.Normalize(id);
        if (ById.TryGetValue(name, out var found)) return found;
        if ((GpuAliases.All.GetValueOrDefault(name) ?? GpuAliases.ByWords(name)) is { } canonical) return ById[canonical];
        var known = ById.Keys.Order(StringComparer.Ordinal).Select(g => $"{g} ({string.Join(", ", GpuAliases.Of(g))})");
        // Ranked over ids and aliases, reported as the ids they name.
        var closest = ClosestIds.To(name, ById.Keys.Concat(GpuAliases.All.Keys), ById.Count + GpuAliases.All.Count)
            .Select(n => GpuAliases.All.GetValueOrDefault(n, n)).Distinct().Take(2);
        throw new InputException(
            $"Unknown GPU '{id}' for {field}: we do not model that GPU (other boards of a family, e.g. H100 PCIe/NVL, H20, " +
            $"GB200 or L40S, differ in clocks, memory or links). Closest modelled: {string.Join(", ", closest)}. " +
            $"Modelled, with their aliases: {string.Join("; ", known)}.");
    }
}
