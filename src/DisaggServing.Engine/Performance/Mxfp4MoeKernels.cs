using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The MoE kernels that serve MXFP4 experts (gpt-oss), the same in every engine on a given GPU but for vLLM's Marlin
/// MoE (<see cref="EngineSpec.EffectiveMarlinMoe"/>: on A100, and on Hopper before vLLM 0.11.1). On Hopper it is
/// Triton's matmul_ogs (triton_kernels: TensorRT-LLM's TRITON MoE backend, its default there for gpt-oss, and vLLM's and
/// SGLang's MXFP4 path), which unpacks the 4-bit weights to BF16 and multiplies in BF16 (W4A16), and sizes its M tile
/// (block_m) to the step: the mean rows per expert (tokens × top-k ÷ experts, at least 1) rounded up to a power of two
/// within 16…128. A decode step of a few hundred sequences over 128 experts thus pays 16-row tiles, not CUTLASS's 128.
/// On Blackwell the TensorRT-LLM-gen block-scaled MoE (TensorRT-LLM's TRTLLM backend, FlashInfer's in vLLM and SGLang)
/// autotunes its tile among 8…128 rows; it keeps the engine's tile (<see cref="EngineProfile.ExpertTileRows"/>; vLLM's
/// and SGLang's own guess, <see cref="VllmBlackwellTiling"/>) and the NVFP4 costing the grouped-GEMM efficiency was fitted on, but for
/// the weight block an expert's first tile loads,
/// which is the step's weight read (StepTimeModel's tile loss), and it streams the experts at
/// <see cref="BlackwellFp4Experts.WeightStream"/>. TensorRT-LLM's CUTLASS MoE (<see cref="MoeBackend.Cutlass"/>) runs the
/// engine's fixed tile instead.
/// </summary>
public static class Mxfp4MoeKernels
{
    /// <summary>
    /// Rows per expert at which matmul_ogs' W4A16 grouped GEMM closes half the gap between its few-row efficiency and a
    /// dense GEMM's: the value fitted for vLLM's Triton fused_moe computing in BF16 (<see cref="EngineProfile.Bf16ExpertHalfRows"/>),
    /// a kernel of the same kind (one program per expert tile, BF16 MMA), not refitted on gpt-oss.
    /// </summary>
    public const double W4A16HalfRows = 1024;

    /// <summary>
    /// How the MXFP4 MoE kernel on <paramref name="gpu"/> picks its tile under <paramref name="engine"/>: matmul_ogs' rule on
    /// Hopper; on Blackwell vLLM's and SGLang's (<see cref="VllmBlackwellTiling"/>); null when <paramref name="weights"/>
    /// is not MXFP4 or where the engine's own tile holds (TensorRT-LLM on Blackwell).
    /// </summary>
    public static Tiling? TileRule(GpuSpec gpu, DType weights, ServingEngine engine) =>
        weights != DType.Mxfp4 ? null
        : gpu.Fp4Flops is null ? new Tiling(16, 128, 1.0)
        : engine != ServingEngine.Trtllm ? VllmBlackwellTiling : null;

    /// <summary>
    /// The token tile vLLM hands FlashInfer's TensorRT-LLM-gen MoE (trtllm_fp4_block_scale_moe) for MXFP4 experts on
    /// Blackwell: the rows per expert (tokens × top-k ÷ experts) × 1.3 for routing imbalance, to the next power of two
    /// within 8…64, "the range supported by the kernel" (vLLM 0.10-0.11 Mxfp4MoEMethod._get_tile_tokens_dim; SGLang's
    /// flashinfer_mxfp4 path carries the same function). Later vLLM
    /// lets FlashInfer's autotuner pick among tiles near that guess, but tunes it only up to max_cudagraph_capture_size
    /// tokens (512 by default; vllm-project/vllm#50942 raised it to 8,192 in August 2026), so a prefill step larger than
    /// that runs the small step's tactic. A large prompt step therefore pays 64-row tiles where TensorRT-LLM's own
    /// autotuner runs 128 (<see cref="EngineProfile.BlackwellExpertTileMinRows"/>); the kernel is the same, so its
    /// few-row loss is TensorRT-LLM's fitted one (<see cref="StepTimeModel"/>'s TileEfficiencyLoss).
    /// </summary>
    public static Tiling VllmBlackwellTiling { get; } = new(8, 64, 1.3);

    /// <summary>
    /// Host-side launches an MoE layer saves when its MXFP4 experts run as TensorRT-LLM-gen's one fused MoE call
    /// (Blackwell; SGLang's flashinfer_mxfp4 runner, TensorRT-LLM's own): the router GEMM, the MXFP8 quantize and that
    /// call replace <see cref="LayerKernels"/>' top-k, sort, two grouped GEMMs, activation, weighted sum and their two
    /// quantizes (nine host launches → three; SGLang's one-client B200 TTFT holds it). The kernels it runs on the GPU are
    /// still there, so the layer floor stays. vLLM saves none: its host time per counted kernel
    /// (<see cref="EngineProfiles.VllmEagerKernelSeconds"/>) was fitted on Hopper, where its MXFP4 MoE layer's share is
    /// mostly the FusedMoE layer's Python around the kernels (a custom op, outside torch.compile), which its Blackwell path
    /// keeps around the fused call; charged whole, InferenceMAX's vLLM 0.11 B200 TTFTs at TP1-TP8 come closer (median
    /// |error| 19.4% → 15.8%; with the saving all 50 ran under, now 46), no checked figure moving out of ±15%.
    /// </summary>
    public static int HostLaunchesSaved(GpuSpec gpu, DType weights, ServingEngine engine) =>
        weights == DType.Mxfp4 && gpu.Fp4Flops is not null && engine != ServingEngine.Vllm ? 6 : 0;

    /// <summary>True when the MXFP4 experts compute in BF16 (Hopper) and so rise with rows per expert (<see cref="W4A16HalfRows"/>).</summary>
    public static bool RisesWithRows(GpuSpec gpu, DType weights) => weights == DType.Mxfp4 && gpu.PeakFlops(weights) <= gpu.Bf16Flops;

    /// <summary>
    /// The experts matmul_ogs divides a step's rows by when it picks its tile, on a rank holding 1/<paramref name="expertParallel"/>
    /// of <paramref name="experts"/>. Under expert parallelism TensorRT-LLM's TRITON MoE routes every gathered token over all
    /// experts and prunes the top-k to the rank's slice (<c>TritonEPRouter.prune_routing_ep</c>, fused_moe_triton.py): the
    /// routing data then counts the local experts only (<c>routing_from_bitmatrix(..., n_expts_local, n_expts_act)</c>), while
    /// the gather index keeps every token's k slots, pruned ones included. matmul_ogs sizes block_m from rows ÷ experts of
    /// those (<c>tokens_per_expt = max(1, m // routing_data.n_expts_tot)</c>, triton_kernels opt_flags.py, m = the gather
    /// index's length), so its tile covers EP times the rows each local expert really gets; RoutingData's
    /// <c>expected_tokens_per_expt</c>, which triton_kernels offers for expert sharding, is left unset there.
    /// </summary>
    public static int TileExperts(int experts, int expertParallel) => Math.Max(1, experts / Math.Max(1, expertParallel));

    /// <summary>The tile the kernel picks for a step of <paramref name="tokens"/> tokens over <paramref name="experts"/> experts (<see cref="TileExperts"/>), each token taking <paramref name="expertsPerToken"/>.</summary>
    public static int TileRows(double tokens, int experts, int expertsPerToken, Tiling rule)
    {
        var perExpert = Math.Max(1, Math.Floor(Math.Floor(tokens * expertsPerToken / experts) * rule.Imbalance));
        return ExpertTiles.Covering(perExpert, rule.Min, rule.Max);
    }

    // fused_marlin_moe's block_size_m choices (vLLM 0.10-0.11, moe_align_block_size): the first that the mean rows per
    // expert fill to less than 0.9, else the largest.
    private static readonly int[] MarlinBlocks = [8, 16, 32, 48, 64];

    /// <summary>
    /// The M block vLLM's Marlin MoE (W4A16: MXFP4 weights dequantized in its inner loop, BF16 math) pads each expert's
    /// rows to for a step of <paramref name="tokens"/> tokens: the first of 8, 16, 32, 48 and 64 rows that the mean rows
    /// per expert (tokens × top-k ÷ experts) fill to less than 0.9, else 64.
    /// </summary>
    public static int MarlinBlockRows(double tokens, int experts, int expertsPerToken)
    {
        var perExpert = tokens * expertsPerToken / experts;
        foreach (var block in MarlinBlocks)
        {
            if (perExpert / block < 0.9) return block;
        }
        return MarlinBlocks[^1];
    }

    /// <summary>
    /// The share of the BF16 peak that Marlin's mma.sync reached where its grouped-GEMM efficiency (the fitted one,
    /// <see cref="StepTimeModel.GroupedGemmEfficiency"/> × the BF16-compute scale) was held: GPUStack's gpt-oss runs on
    /// H100 (within −8…+8%), whose peak is wgmma's, two thirds of it within mma.sync's reach.
    /// </summary>
    public const double MarlinHeldMmaSyncShare = 2.0 / 3;

    /// <summary>
    /// The largest M block at which Marlin's MoE is bound by its in-loop dequantize rather than its MMAs: blocks of up
    /// to 16 rows run its small-batch configs (ops.cu: one 16-row MMA tile, thread_k 128 × thread_n 128), which unpack
    /// each weight for those rows alone, CUDA-core work at about a sixteenth of the tensor rate on A100 and Hopper alike;
    /// blocks of 32-64 rows run its large-batch configs, which reuse each unpacked weight across 2-4 MMA tiles.
    /// </summary>
    public const int MarlinMmaBoundRows = 16;

    /// <summary>
    /// The rows of work one expert's Marlin blocks are costed at, for a step whose mean rows per expert are
    /// <paramref name="rowsPerExpert"/> in blocks of <paramref name="block"/> rows: whole blocks (a block at least, about
    /// half a block more than the rows). In the dequantize-bound blocks (up to <see cref="MarlinMmaBoundRows"/>) a block's
    /// time is the unpacking of its weights, done once per block whatever its 8 or 16 rows (one 16-row MMA tile either
    /// way), so each block costs what the 8-row block at which the held efficiency was fitted (the decode steps) costs.
    /// </summary>
    public static double MarlinCostedRows(double block, double rowsPerExpert)
    {
        var blocks = Math.Max(1, (rowsPerExpert + block / 2.0) / block);
        return blocks * (block <= MarlinMmaBoundRows ? MarlinBlocks[0] : block);
    }

    /// <summary>
    /// How much faster than the held efficiency Marlin's MoE runs on <paramref name="gpu"/> in blocks above
    /// <see cref="MarlinMmaBoundRows"/>: Marlin is an SM80 kernel (mma.sync m16n8k16, BF16 after its in-loop dequantize),
    /// so where its MMAs bound it, it keeps the same share of what mma.sync can reach on every GPU, and on A100, where
    /// mma.sync is the peak instruction, that is 1.5× the share of the peak it gets on Hopper.
    /// </summary>
    public static double MarlinRateScale(GpuSpec gpu) => gpu.MmaSyncShare / MarlinHeldMmaSyncShare;

    /// <summary>
    /// The reduction length, in elements, that each output tile of Marlin's MMA-bound blocks spends filling its
    /// pipeline: its large-batch configs (more than 16 rows: thread_k 64 × thread_n 256 first, marlin.cu
    /// <c>large_batch_thread_configs</c>) stream K in 64-element steps through a 4-stage cp.async pipeline, so 3 steps
    /// load before the first MMA. Read from the kernel, not fitted.
    /// </summary>
    public const int MarlinPipelineFillK = 3 * 64;

    /// <summary>
    /// The factor by which Marlin's MMA-bound blocks cost more per FLOP on a rank holding <paramref name="widthPerRank"/>
    /// of each <paramref name="expertWidth"/>-wide expert than where the experts are whole (the shape its held efficiency
    /// was set at: GPUStack's gpt-oss runs, one GPU or two): the pipeline fill over a shorter down projection
    /// (<see cref="ExpertGemmShape"/> with <see cref="MarlinPipelineFillK"/>). gpt-oss-120b at TP8 (360 columns a rank):
    /// 1.15×. The dequantize-bound blocks unpack every weight whatever its split and keep the held cost.
    /// </summary>
    public static double MarlinShapeFactor(int hidden, int expertWidth, double widthPerRank) =>
        ExpertGemmShape.CostFactor(hidden, widthPerRank, MarlinPipelineFillK) / ExpertGemmShape.CostFactor(hidden, expertWidth, MarlinPipelineFillK);

    /// <summary>A kernel's tile rule: rows per expert × <paramref name="Imbalance"/>, to a power of two within <paramref name="Min"/>…<paramref name="Max"/>.</summary>
    public readonly record struct Tiling(int Min, int Max, double Imbalance);
}
