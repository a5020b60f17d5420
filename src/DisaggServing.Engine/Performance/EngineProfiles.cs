using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Performance;

/// <summary>The profile of each serving engine, and their CLI spellings.</summary>
public static class EngineProfiles
{
    /// <summary>
    /// TensorRT-LLM (PyTorch backend), as trtllm-bench and NIM run it: GUARANTEED_NO_EVICT admission, 2048
    /// sequences and 8192 tokens per step, whole contexts (its default; only a prompt larger than a step is split), CUDA graphs up to the
    /// largest batch (the perf overview captures up to 8192), FP8 KV with FP8/FP4 checkpoints, KV sized as a fraction (0.9)
    /// of the memory left free after loading (kv_cache_free_gpu_mem_fraction), expert parallelism behind attention DP
    /// by all-gather and reduce-scatter (its all-to-all needs MNNVL or DeepEP). Host costs are the fit to the H100
    /// figures of docs/calibration.md. Its TP all-reduce (AllReduceStrategy AUTO: the one-shot and two-shot kernels that
    /// fuse the residual add and RMSNorm, NCCL only for the largest messages) moves a decode batch's few MB at about half
    /// the bus bandwidth that a prefill step's hundreds of MB reach (two-shot makes two passes over NVLink peer loads, and
    /// a few MB keep few blocks in flight): fitted on the perf overview's Llama-3.1-405B rows (TP8 on H100 and H200, TP4 on
    /// B200), whose decode-heavy runs the model put 15-30% too fast while its prefill-heavy ones were within 8%.
    /// Its CUDA graphs cover generation-only steps; a step holding a prompt runs its PyTorch modules eagerly, 35 µs of
    /// host time per counted kernel, about SGLang's fitted 60 µs (the same eager PyTorch modules) × the two thirds of
    /// those launches left where TensorRT-LLM's custom ops fuse attention (RoPE, KV write, FMHA) and the MoE (permute,
    /// GEMMs, finalize). Of 20, 30, 35, 40 and 50 µs tried on the 678 held-out PyTorch-backend figures, 35 holds the most
    /// within 15% (461; 40 held the most before a prompt reaching a busy engine joined the step after next,
    /// EngineSpec.SchedulesAhead; docs/calibration.md). TensorRT engines (<see cref="EngineSpec.TensorRtEngine"/>) launch
    /// from C++ and pay none.
    /// </summary>
    public static EngineProfile Trtllm { get; } = new()
    {
        Engine = ServingEngine.Trtllm, ChunkedPrefill = false, Admission = AdmissionPolicy.ReserveFull,
        MaxNumSeqs = 2048, SmallGpuMaxNumSeqs = 2048, MaxNumBatchedTokens = 8192, SmallGpuMaxNumBatchedTokens = 8192,
        AppliesUniformSlidingWindow = false,
        CudaGraphMaxBatch = 8192, EagerKernelSeconds = 35e-6, ExpertTileRows = 128, AllReduceSmallEfficiency = 0.5, AllReduceHalfBytes = 16e6,
        ExpertParallelAllGather = true, AttentionDpReplicatesMlp = true,
        // Under attention DP each rank's executor has its own max_batch_size and max_num_tokens: a chunk never exceeds
        // one rank's share, and the defaults hold per rank.
        AttentionDpSplitsChunk = true, AttentionDpLimitsPerRank = true,
        // The PyTorch backend's overlap scheduler (on by default since 0.20, TensorRT-LLM PR 4174) schedules the next step
        // while the GPU runs this one, leaving SGLang's overlap residue of 0.6 ms; without it (TensorRT engines' C++
        // executor, the PyTorch backend before 0.20, --async-scheduling off) the host's step adds 0.4 ms more: the 1.0 ms
        // fitted on the TensorRT-engine figures.
        StepSeconds = 0.6e-3, SyncSchedulingStepSeconds = 0.4e-3, PerSequenceSeconds = 4e-6, FirstTokenSeconds = 0, KvFollowsWeights = true, KvFromFreeMemory = true,
        // TensorRT engines built as trtllm-build leaves them run the norm apart from the all-reduce (--reduce_fusion is off by default).
        TensorRtEngineAllReduceSeconds = UnfusedAllReduceSeconds,
        // The masked MHA kernel's KV read, fitted on v0.9's and v0.11's H200 FP8 columns of GPT-J and Llama-2-7B (16
        // figures; mean |error| 15.6% uncapped, 7.1/6.0/6.1/6.6% at 3.35/3.5/3.65/3.8 TB/s; 3.65 keeps v0.9's static
        // batches within 15%).
        MaskedMhaKvReadBytesPerSecond = 3.65e12,
        // ...and its conversion of a GQA group's FP8 cache once a query head (XQA off: 0.9's default), fitted on 0.9's four
        // Mistral-7B H200 static batches (mean |error| 8.6/4.3/7.9% at 4.2/4.8/5.5e12; its H100 rows, held out, −7…+8%).
        MaskedMhaFp8GroupBytesPerSecond = 4.8e12,
        // A streamed response per running request every step, on the C++ executor's loop (fitted on the DLI NIM).
        TensorRtEngineStreamedSequenceSeconds = 15e-6,
        // ...and NIM's front end each streamed token, beside the engine (fitted on the DLI NIM's 8B H100 ceiling).
        TensorRtEngineFrontEndTokenSeconds = 70e-6,
        // NIM's front end takes each request for 1.5 ms on one thread (fitted on the DLI NIM's fitted TTFTs).
        TensorRtEngineServerSeconds = 1.5e-3,
        // ...and each request's first token 0.8 ms a rank on top, fitted on the DLI NIM's fit-set TTFTs (median |error|
        // 9.0% → 5.1%; 0.5/0.7/0.8/1.0 ms gave 7.2/6.0/5.1/4.9%, its held-out TTFTs 9.0/8.9/9.0/9.4% from 10.3%): a lone
        // request of 200 prompt tokens on Llama-3-70B FP8 H100 lacked 4.5 ms at TP4 and 6.6 ms at TP8, Llama-3-8B 1.2 ms.
        TensorRtEngineRankFirstTokenSeconds = 0.8e-3,
        // trtllm-serve's OpenAI front end on the PyTorch backend: vLLM's and SGLang's 8 ms (not fitted on its figures).
        PyTorchServerFirstTokenSeconds = 8e-3,
        // Every served run's front end tokenizes its prompts, trtllm-serve's and NIM's alike.
        PromptTokenSeconds = PromptTokenSeconds,
        // NVFP4 MoE on Blackwell: TRTLLM-gen tiles of 8-128 tokens by rows per expert, a small tile at t ÷ (t + 128) of a
        // large one's rate (the 128-row weight block it loads each k-step).
        BlackwellExpertTileMinRows = 8, ExpertTileHalfRows = 128,
        // BF16/FP16 experts (CUTLASS MoE GEMM): the smallest token tile the SM80 kernels offer (32 × 128) and the SM90
        // TMA kernels' (128 × 16 tokens), the plugin's profiler picking one per token count.
        AmpereExpertTileMinRows = 32, HopperExpertTileMinRows = 16,
        // INT8 and INT4 experts run weight-only through the fpA_intB MoE GEMM, from its 16-row tile.
        WeightOnlyExpertTileMinRows = 16,
        // BF16/FP16 experts (CUTLASS grouped GEMM, no scales) rise with rows per expert towards a dense GEMM as vLLM's
        // do, half-way at TrtllmExpertHalfRows.
        Bf16ExpertHalfRows = TrtllmExpertHalfRows,
        // Per-tensor FP8 experts split by TP run the same SM90 grouped GEMM and rise alike (TpSplitFp8Experts); whole
        // experts behind attention DP keep the fitted HopperFp8Experts rule.
        TpSplitFp8ExpertHalfRows = TrtllmExpertHalfRows,
        // The CUTLASS MoE GEMM's per-tile cost (pipeline fill, tile setup, epilogue) as reduction elements: about its
        // stages × the 128-element FP8 k-step on SM90. Relative to Qwen3-235B's shape, where the efficiency was fitted.
        ExpertPrologueK = 512,
        // Per-tensor FP8 experts held whole behind attention DP on Hopper (HopperFp8Experts): the SM90 grouped GEMM's
        // 16-256-token tiles, each small tile at Blackwell's t ÷ (t + 128) loss, the weights streamed at half the HBM
        // peak (fitted on the older perf overview's Qwen3-235B DEP8 rows on H100 and H200).
        HopperFp8ExpertTileMinRows = 16, HopperFp8ExpertWeightStream = 0.5,
        // Block-scaled FP8 experts on Hopper (DeepSeek-R1): DeepGEMM's grouped GEMM through the FP8 block-scale MoE
        // runner, operands swapped below 32 expected rows per expert (DeepGemmExpertTiles); the dense block-FP8 GEMMs
        // beside them at few rows take vLLM's fitted floor (not refitted; 8 µs takes the four-client InferenceMAX rows
        // from −3% to −12%).
        BlockFp8SwapAbRows = 32, HopperBlockFp8GemmSeconds = VllmHopperBlockFp8GemmSeconds,
        // Per-tensor FP8 and BF16/FP16 experts wider per rank than Qwen3-235B's run nearer a dense GEMM, padding included
        // (ExpertGemmWidth; Mixtral-8x7B).
        ExpertGemmFollowsWidth = true,
    };

    // Block-FP8 experts through the Triton fused_moe on Hopper (vLLM and SGLang run the same kernel there): the
    // efficiency fitted on TensorRT-LLM holds from 1,024 rows per expert, the rows of GPUStack's Qwen3-235B FP8 runs on
    // 4 × H100 (16,384-token steps × top-8 ÷ 128 experts), which vLLM reproduces within 9% with it. Below that, in steps
    // of more than 512 tokens (up to 512 the tuned configs pick 16-row M blocks, the decode regime, which holds it), it
    // falls as (rows ÷ 1,024)^0.35: fitted on GPUStack's DeepSeek-R1 vLLM runs on 8 × H200 with 2K and 4K prompts
    // (8,192-token steps × top-8 ÷ 256 experts = 256 rows per expert: 1.6× the cost), which ran 26-33% faster than
    // published without it (0.4 fits those two runs closer, but takes the held-out SGLang 32K run to the edge of ±15%).
    // vLLM's Triton unified attention (its backend for attention sinks below SM90): gpt-oss's 8 query heads per KV head
    // fill its 16-row block with 2 query tokens, each program streaming the context in 32-key tiles from L2 for those 2
    // tokens alone (16 FLOP per KV byte), where FlashAttention 2 shares each tile across 128 query rows. Fitted on GPUStack's
    // gpt-oss-120b 32000/98 run on one A100 (100 prompts, 4,096-token chunks), the only run of the set whose prefill
    // attention is a large share of its time: 0.4 × the A100's 0.5 × 0.95, about 0.19 of the BF16 peak.
    private const double TritonSinkAttentionScale = 0.4;

    // vLLM's per-token activation-scaled GEMMs (Red Hat's FP8-dynamic and W8A8 checkpoints: scaled_fp8_quant or
    // scaled_int8_quant with a scale per token before each cutlass_scaled_mm): its 0.7.2 model cards time them 8-14% slower
    // than the fitted GEMMs in single-stream decode (memory-bound) and at maximum throughput (compute-bound) alike, while
    // the BF16 and W4A16 rows of the same cards hold within ±3% (median). Fitted on the DeepSeek-R1-Distill-Llama-8B rows
    // (FP8-dynamic on H100, W8A8 on A100; 27 figures, mean |error| 12.1% at 1, 7.0% at 0.85, 6.5% at 0.82, 6.3% at 0.80,
    // 6.6% at 0.77); 0.82 where 0.80 fits them alike, since the held-out Llama-70B FP8-dynamic at TP2 (+0% at 1) takes
    // +14% at 0.80 and +12% at 0.82. Its held-out Qwen 1.5B-32B FP8-dynamic rows: median |error| 11.6% → 4.3%.
    private const double VllmPerTokenScaledGemmRate = 0.82;

    private const double TritonFp8ExpertFullRows = 1024, TritonFp8ExpertRowsExponent = 0.35, TritonFp8SmallStepTokens = 512;

    // vLLM's block-FP8 linear layers on Hopper (W8A8BlockFp8LinearOp: a per-token-group quantization kernel, then a
    // DeepGEMM, CUTLASS or Triton block-scaled GEMM) take a fixed 10-35 µs each at 1-64 rows whatever the shape,
    // several times their weight read: vLLM's own benchmark under a CUDA graph (benchmarks/kernels/bench_block_fp8_gemm.py,
    // vllm-project/vllm#23280, H100: DeepSeek-V3's fused q_a/kv_a, N 2112 × K 7168, 23 µs Triton, 34 µs CUTLASS,
    // where its 15 MB read takes 5 µs) and sgl-project/sglang#5820's TP8 shapes on Hopper (q_b 3072 × 1536, a shared
    // expert's gate_up 512 × 7168, 7168 × 2304: vLLM's kernel 15-21 µs, DeepGEMM 9-14 µs). The floor is the least of
    // them, DeepGEMM's ≈ 12 µs (vLLM runs these shapes through DeepGEMM where it is installed); larger values take
    // DeepSeek-R1's 4-client ITL closer (17 µs: −46% → −23%) but Qwen3-235B FP8's held rows 2 points further off.
    private const double VllmHopperBlockFp8GemmSeconds = 12e-6;

    // SGLang's host time a step beyond the overlap loop's residue when it schedules synchronously (EngineProfile.SyncSchedulingStepSeconds).
    private const double SglangSyncSchedulingStepSeconds = 0.77e-3;

    // An all-reduce run apart from the residual add and RMSNorm after it: one launch and one sync more than
    // TensorRT-LLM's fused kernel, on which GpuSpec.CollectiveLatencySeconds was fitted.
    private const double UnfusedAllReduceSeconds = 20e-6;

    /// <summary>
    /// Rows per expert at which TensorRT-LLM's CUTLASS MoE grouped GEMM, its experts split by TP (BF16/FP16 experts, and
    /// per-tensor FP8 ones on Hopper), closes half the gap to a dense GEMM's efficiency. The kernel is its own (a CUTLASS
    /// grouped GEMM whose tactic profiler picks among 128 × 16…256 tiles), not vLLM's Triton fused_moe, whose fitted
    /// 1,024 rows it borrowed before. Fitted on the two TP-split MoE columns of the perf overview: v0.17's Mixtral-8x7B
    /// and Mixtral-8x22B (126 figures, TP1-TP8 on A100, H100 and H200; 8 experts, hundreds of rows each in a large
    /// decode step) and v0.20's Llama 4
    /// Maverick FP8 at TP8 (13; 128 experts, a few dozen rows each), fit rows since. Mean |error| over the 139 at 1,024,
    /// 512, 256, 128, 64 and 32 rows: 9.7, 8.7, 8.1, 8.0, 8.2, 8.5% (Mixtral alone falls to 6.4% at 32, Maverick alone
    /// rises from 8.4% to 19.9%: the two pull apart, Mixtral's TP8 decode wanting the rise early, Maverick's few rows late).
    /// </summary>
    public const double TrtllmExpertHalfRows = 128;

    // vLLM's chat endpoint with a Hugging Face Jinja chat template: ≈35 ms a request between the HTTP request and the
    // engine, on the API server's event loop (the template's resolution and rendering ran on the loop until
    // vllm-project/vllm#34789 moved rendering to a thread pool). Measured, not fitted on a TTFT, on GPUStack's vLLM
    // 0.11.0 pages: while a request is prepared the other clients' streams stall by that much without slowing the
    // engine (ShareGPT at 4 and 8 clients, Qwen3-8B on one H100: P99 ITL 41.0 and 45.5 ms over a 7.4-7.7 ms step, mean
    // TPOT unchanged, mean ITL above it where stalled tokens merge into one chunk; DeepSeek-R1 on 8 × H200: 48.6 over
    // 19.4 ms), and 1,000 chat requests of 128/4 sent at once take 22.7 s (Qwen3-14B, one H100) and 22.1 s
    // (DeepSeek-R1, 8 × H200), bound by the server whatever the model, where gpt-oss-20b's, rendered with
    // openai_harmony instead of the Jinja template, take 4.7 s (ModelSpec.HarmonyChat: no such cost).
    private const double VllmOlderChatTemplateSeconds = 35e-3;

    // ...and 8 ms in vLLM 0.17.1, fitted on GPUStack's seven short-prompt chat TTFTs of the Qwen3.5 hybrids through
    // GuideLLM (9B on one H100, 35B-A3B on one H200, 1-8 requests/s: 37-68 ms published; 6 / 8 / 10 / 12 ms gave a mean
    // |error| of 6.2 / 5.8 / 7.0 / 9.4%, 35 ms 52%). The first release measured at it is 0.17 (which change between 0.11
    // and 0.17.1 took the cost down was not read: candidates are vllm-project/vllm#30200's renderer, December 2025, which
    // resolves and warms up the template in one place, and #34789, February 2026, which moved blocking tokenizer work off
    // the event loop); today's vLLM, which no page measures, is taken to pay 0.17.1's.
    private const double VllmChatTemplateSeconds = 8e-3;

    // Tokenizing a prompt's text in the server's front end, per token (EngineProfile.PromptTokenSeconds): measured with
    // transformers' fast tokenizer (Hugging Face's Rust tokenizers, as vLLM's server calls it) on gpt-oss's o200k
    // vocabulary, one thread of the H200 host's Xeon (tools/gpu-check/tokenize.py): 2.2 µs a token for 8,000-token
    // prompts of bench_serving's random kind and 2.1 µs for English, 1.4-1.7 µs at 1,000 tokens (tiktoken takes 0.1-0.8).
    // Long served prompts' published TTFT keeps a part that does not shrink with TP (InferenceMAX's 6,553-8,192-token
    // gpt-oss runs); charging it leaves the held-out median at 7.07% and takes 491 → 479 figures beyond ±25% (those vLLM
    // TTFTs 11.0% → 9.0%), and charged on NIM's served TensorRT engines too, the DLI NIM's TTFTs 10.5% → 9.9% held out,
    // 9.5% → 8.9% fitted (474 beyond ±25%). The same for every engine: their front ends run the same tokenizers.
    private const double PromptTokenSeconds = 2e-6;

    /// <summary>
    /// vLLM's host time per counted kernel (<see cref="LayerKernels"/>) in a step it runs eagerly, one of more tokens than
    /// its CUDA graphs capture (max_cudagraph_capture_size, 512 by default; <see cref="EngineSpec.CudaGraphMaxBatch"/>):
    /// the torch.compile'd pieces launch their Inductor kernels from generated Python and the custom ops (attention, the
    /// MoE, the all-reduce) through the dispatcher, between nothing and SGLang's eager modules (60 µs, fitted). Fitted on
    /// InferenceMAX's vLLM 0.11 gpt-oss-120b 8K-prompt TTFTs at TP4 and TP8 on H100 and H200 (17 figures, fit rows
    /// since): their 8,192-token steps run eagerly (the runs capture graphs up to 2,048 tokens), and there the GPU's
    /// share of the step shrinks with TP while the host's launches do not. 15, 20, 25, 30, 35, 45 and 55 µs gave them a
    /// median error of -5.4, -5.1, -4.4, -4.0, -3.6, -2.5 and -1.0%; the same source's B200 TTFTs (held out; every prompt
    /// step eager there) 21.2, 17.7, 15.8, 13.5, 11.4, 10.0% median |error| up to 45 µs; its B200 ITLs (fit rows of the host
    /// step and the MoE layer, whose mixed steps it lengthens) keep within 15% up to 30 µs. Until the Hopper runs' graph
    /// capture was read (2,048 tokens, so their ~1K-token prompt steps replay graphs) their 1K-prompt TTFTs fitted 25 µs.
    /// </summary>
    public const double VllmEagerKernelSeconds = 30e-6;

    /// <summary>vLLM's fixed time a MoE layer of MXFP4 experts on Blackwell (<see cref="EngineProfile.Mxfp4MoeLayerSeconds"/>).</summary>
    public const double VllmMxfp4MoeLayerSeconds = 20e-6;

    /// <summary>
    /// vLLM V1 serving (vllm serve) as of 0.18/0.19, the version our manifests deploy: chunked prefill, on-demand
    /// allocation with preemption, 1024 sequences and 8192 tokens per step on H100-class GPUs (256 and 2048 on A100 and
    /// smaller), KV "auto" = the checkpoint's declared KV format (FP8 for NVIDIA's ModelOpt FP8/FP4 exports, which
    /// declare kv_cache_quant_algo FP8), else BF16 even with FP8 weights, and an OpenAI server in front. CUDA graphs: cudagraph_mode
    /// FULL_AND_PIECEWISE (the default since 0.11) replays pure-decode steps as one full graph and mixed steps as
    /// piecewise graphs around eager attention, up to 512 tokens (max_cudagraph_capture_size, <c>--cuda-graph-max</c>); larger
    /// steps run the torch.compile'd pieces eagerly, 30 µs of host time per counted kernel (<see cref="VllmEagerKernelSeconds"/>). Async scheduling (on by default since 0.14) schedules step N+1 and processes step
    /// N's output while the GPU runs, so only about 0.4 ms a step stays on the critical path (input copies and the
    /// hand-off): the FP8-KV post's single-client lines (v0.19.1) sit 1.1-1.3 ms below the 1.5 ms that vLLM 0.6's
    /// synchronous loop cost (its 2024 CI latency rows). V1 before 0.14 (or <c>--no-async-scheduling</c>) schedules step
    /// N+1 and processes step N's output only once N's sampled tokens are back, 0.77 ms more a step
    /// (<see cref="EngineProfile.SyncSchedulingStepSeconds"/>, <c>--async-scheduling off</c>): fitted on GPUStack's
    /// Qwen3-8B single-client ITL on one H100 under vLLM 0.11.0 (7.26 ms). Its TP all-reduce and the residual add + RMSNorm after it are
    /// separate kernels (TensorRT-LLM fuses them): 20 µs more per all-reduce, the value fitted on SGLang's, which runs
    /// them the same way (see <see cref="Sglang"/>). Its Triton fused_moe computing in BF16 (BF16 experts, or W8A16 on A100) reaches 1.15× the grouped-GEMM efficiency fitted on
    /// TensorRT-LLM's FP8/FP4 experts at a few rows per expert: that efficiency is a fraction of the format's peak, which a few rows per expert
    /// cannot approach at FP8's doubled rate. With BF16 weights it rises with the rows per expert towards a dense GEMM's,
    /// half-way at 1,024 rows (a prefill step of 8,192 tokens gives each of Qwen3-235B's 128 experts 512): both fitted
    /// on GPUStack's Qwen3-235B BF16 runs on 8 × A100 (2,048-token steps, with the A100's GEMM efficiency rising with
    /// rows) and 8 × H100 (8,192-token steps). Its block-scaled FP8 experts keep the TensorRT-LLM value (Qwen3-235B FP8
    /// on 4 × H100 within 8%), and its W8A16 experts (Marlin) do not rise (Qwen3-235B FP8 on 4 × A100 within 14%).
    /// </summary>
    public static EngineProfile Vllm { get; } = new()
    {
        Engine = ServingEngine.Vllm, ChunkedPrefill = true, Admission = AdmissionPolicy.OnDemand,
        PagesCompressedCachesInLayerTuples = true,
        MaxNumSeqs = 1024, SmallGpuMaxNumSeqs = 256, MaxNumBatchedTokens = 8192, SmallGpuMaxNumBatchedTokens = 2048,
        CudaGraphMaxBatch = 512, CudaGraphCoversMixedSteps = true, CompilesModelForward = true, EagerKernelSeconds = VllmEagerKernelSeconds,
        DefaultAllReduceFusion = FusedAllReduceLimits.Vllm,
        // V0 (--vllm-engine v0): 100 µs of host time a running sequence, fitted on the Red Hat model cards' vLLM 0.7.2
        // throughput on one H100 in BF16 (22 rows, median +2.5%; 60 and 140 µs leave +13% and −6%), where a 256-sequence
        // step of a 7-14B model is host-bound (FP8 serves no faster than BF16).
        V0SequenceHostSeconds = 100e-6,
        // With TP × PP > 1 its MultiprocExecutor broadcasts each step's scheduler output to the workers and collects their
        // sampled tokens: under async scheduling a step takes at least 3 ms + 25 µs a running sequence of host time,
        // fitted on InferenceMAX's vLLM 0.11 gpt-oss-120b runs on B200 (TP2-TP8 at 4-16 clients: TP4 and TP8 publish
        // 3.19 and 3.15 ms at 4 clients where the GPU's step was 2.2-2.5 ms; 3 ms alone left TP4 at 16 clients −17%,
        // 50 µs a sequence TP4 at 64 +19%). With the MXFP4 MoE layer's fixed time below that GPU step is ≈3 ms, and
        // what holds the floor is Vultr's vLLM 0.16 Nemotron 3 Nano on two B200s (2.91 ms a token at one client, +4%
        // modelled, −35% without the floor; at 8 clients 2.75 ms takes it to −19%); every other published vLLM step is
        // longer and moves by a point at most.
        MultiprocessHostStepSeconds = 3.0e-3, MultiprocessHostSequenceSeconds = 25e-6,
        // Its FlashInfer MXFP4 MoE on Blackwell: 20 µs a MoE layer (Mxfp4MoeLayerSeconds), fitted on the same runs' one-
        // and two-GPU decode, which the host floor above does not cover: at TP1 and TP2 from 4 to 16 clients the published
        // steps ran 0.4-0.9 ms (≈ 36 layers × 20 µs) longer than the kernels and weights modelled (TP1 at 4 clients 4.06 ms
        // published, 3.19 modelled), in every workload. SGLang's B200 gpt-oss runs of the same kernel show none (one client
        // on eight GPUs within 8%), so it belongs to vLLM's path to it, not to the kernel; what it is was not identified,
        // and later releases, which no published B200 decode measures, keep it.
        Mxfp4MoeLayerSeconds = VllmMxfp4MoeLayerSeconds,
        // Speculative decoding before 0.11: 0.73 ms a draft pass and 1.21 ms a step beyond the drafter's layer and LM
        // head, fitted on vLLM's EAGLE-3 sweep on one H100 (vllm#20780, 0.9.2: Llama-3.1-8B at batch 1, K = 2-7, TPOT
        // within 3%), where the drafter looped in Python between passes. From 0.11 it drafts padded batches under CUDA
        // graphs, and 2026 builds gain nearly the acceptance length (DeepSeek-V3.2 with one MTP token at ~90% acceptance:
        // 125 → 234 tok/s at one client, vLLM's blog): nothing beyond the passes.
        DraftPassSeconds = 0.73e-3, SpeculativeStepSeconds = 1.21e-3, GraphedDrafterFrom = new EngineRelease(0, 11, 0),
        StepSeconds = 0.4e-3, SyncSchedulingStepSeconds = 0.77e-3, PerSequenceSeconds = 6e-6, FirstTokenSeconds = 8e-3, PromptTokenSeconds = PromptTokenSeconds, ChatTemplateSeconds = VllmChatTemplateSeconds, OlderChatTemplateSeconds = VllmOlderChatTemplateSeconds, FasterChatTemplateFrom = new EngineRelease(0, 17, 0), KvFollowsWeights = false, KvFollowsCheckpoint = true, UnfusedAllReduceSeconds = UnfusedAllReduceSeconds,
        GemmScale = 0.95, AttentionScale = 0.95, Bf16ExpertGemmScale = 1.15, Bf16ExpertHalfRows = 1024,
        // Below SM90 its MXFP4 backend picks Marlin (matmul_ogs needs Hopper): gpt-oss on A100. On Blackwell its first
        // choice is FlashInfer's TensorRT-LLM-gen MoE with BF16 activations (MXFP8 only with VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8).
        Mxfp4MarlinBeforeHopper = true, Mxfp4Bf16ActivationsOnBlackwell = true,
        // Attention sinks below SM90 run Triton unified attention: gpt-oss prefills at 0.4 of FlashAttention 2's rate there.
        SinkAttentionScaleBeforeHopper = TritonSinkAttentionScale,
        PerTokenScaledGemmRate = VllmPerTokenScaledGemmRate,
        HopperFp8ExpertFullRows = TritonFp8ExpertFullRows, HopperFp8ExpertRowsExponent = TritonFp8ExpertRowsExponent,
        HopperFp8ExpertSmallStepTokens = TritonFp8SmallStepTokens, HopperBlockFp8GemmSeconds = VllmHopperBlockFp8GemmSeconds,
    };

    /// <summary>The SGLang release that began to fuse Qwen3-MoE's all-reduces by default (<see cref="EngineProfile.AllReduceFusionModels"/>).</summary>
    public static readonly EngineRelease SglangQwen3MoeFusion = new(0, 5, 7);

    /// <summary>SGLang's fixed time a DeepSeek Sparse Attention layer adds to a step (<see cref="EngineProfile.DsaLayerSeconds"/>).</summary>
    public const double SglangDsaLayerSeconds = 120e-6;

    /// <summary>
    /// SGLang (launch_server): chunked prefill of 8192 tokens (16384 on GPUs of 160 GiB or more: B200, by
    /// server_args._handle_gpu_memory_settings; H100, A100 and H200 keep 8192), retraction rather than
    /// up-front reservation, CUDA graphs up to 256 sequences, an overlap scheduler that hides most host work
    /// behind the GPU and hands a step's tokens out once the next step is launched, KV "auto" = BF16 but FP8 where a ModelOpt checkpoint declares it (as vLLM). Its TP all-reduce (custom all-reduce, then fused_add_rmsnorm) costs 20 µs more
    /// than TensorRT-LLM's fused one: fitted on the single-client decode of Llama-3.1-70B on 8× A100 (SGLang cookbook),
    /// where the step is almost all weight reads and collectives; every other vLLM/SGLang figure is held out.
    /// </summary>
    public static EngineProfile Sglang { get; } = new()
    {
        Engine = ServingEngine.Sglang, ChunkedPrefill = true, Admission = AdmissionPolicy.OnDemand,
        // An unset --max-running-requests runs as many as the request-to-token pool holds (ModelRunner.init_memory_pool:
        // max_num_reqs = min(max(KV tokens ÷ context length × 512, 2048), 4096)), so at least 2,048; the 4,096 that a KV
        // cache of more than eight contexts allows is not modelled.
        MaxNumSeqs = 2048, SmallGpuMaxNumSeqs = 2048, MaxNumBatchedTokens = 8192, SmallGpuMaxNumBatchedTokens = 8192, HugeGpuMaxNumBatchedTokens = 16384,
        // Speculative decoding resets an unset --max-running-requests to 48: at 100 clients the cookbook's MTP runs decode
        // about 47 sequences (1,767 tok/s at a 26 ms TPOT on Qwen3.5-397B, 1,215 at 39 ms on GLM-5) and queue the rest.
        SpeculativeMaxNumSeqs = 48,
        // SGLang sizes its CUDA graphs and prefill chunks by GPU memory and TP (server_args._handle_gpu_memory_settings,
        // 0.5.x): 256 below TP4 and 512 from TP4 on H100, A100-80GB and H200, 512 on B200; 32 and 160 with 4,096-token
        // chunks on A100-40GB (under 60 GiB).
        CudaGraphMaxBatch = 256, CudaGraphMaxBatchFromTp4 = 512, HugeGpuCudaGraphMaxBatch = 512, EagerKernelSeconds = 60e-6,
        Under60GiB = new Under60GiBDefaults(MaxNumBatchedTokens: 4096, CudaGraphMaxBatch: 32, CudaGraphMaxBatchFromTp4: 160),
        // SGLang itself runs prefill batches alone and first (enable_mixed_chunk off; --mixed-chunk off models it), but
        // with the loaded decode step as costed now that takes its held-out figures further off (docs/calibration.md,
        // Known misses), so the profile keeps mixed steps, but behind attention DP.
        MixedPrefillDecode = true, PrefillAloneBehindAttentionDp = true,
        // event_loop_overlap processes a batch's results after launching the next batch.
        OutputAfterNextLaunch = true,
        FusedBiasedRouterNeedsPowerOfTwo = true,
        // Fitted on one figure, GLM-5-FP8's one-client decode on 8 × B200 (20.2 ms a token; 11.1 ms without it, where
        // DeepSeek-R1, the same stack without the indexer, fits within 10% on the same engine and GPUs); it takes the
        // cookbook's held-out GLM-5 MTP run on 8 × H200 from -43% to -6% (docs/calibration.md, Known misses: SGLang's DSA decode).
        DsaLayerSeconds = SglangDsaLayerSeconds,
        // Without the overlap (--disable-overlap-schedule, or a hybrid served from the radix cache: ReleaseDefaults.
        // SglangHybridsSynchronous) event_loop_normal schedules, launches, waits and processes each batch in turn.
        StepSeconds = 0.6e-3, SyncSchedulingStepSeconds = SglangSyncSchedulingStepSeconds, PerSequenceSeconds = 4e-6, FirstTokenSeconds = 8e-3, PromptTokenSeconds = PromptTokenSeconds, KvFollowsWeights = false, KvFollowsCheckpoint = true, UnfusedAllReduceSeconds = UnfusedAllReduceSeconds,
        GemmScale = 0.95, AttentionScale = 0.95,
        // --mamba-ssm-dtype float32 by default: a hybrid's recurrent state in FP32.
        RecurrentStateBytes = 4,
        // A hybrid's recurrent states in a pool of their own, 0.9 of the KV pool's memory (--mamba-full-memory-ratio).
        StatePoolRatio = 0.9,
        // --mem-fraction-static covers weights and KV; unset, SGLang derives it from the GPU (SglangMemoryFraction).
        StaticMemoryFraction = true,
        // --enable-dp-attention divides chunked_prefill_size by the DP size (server_args._handle_data_parallelism).
        AttentionDpSplitsChunk = true,
        HopperFp8ExpertFullRows = TritonFp8ExpertFullRows, HopperFp8ExpertRowsExponent = TritonFp8ExpertRowsExponent,
        HopperFp8ExpertSmallStepTokens = TritonFp8SmallStepTokens,
        // server_args._handle_model_specific_adjustments turns FlashInfer's all-reduce + RMSNorm fusion on by architecture
        // (SM90/SM100, one node, no attention DP): GptOssForCausalLM, and from 0.5.7 ("Enable TRT AllReduce Fusion by
        // default", December 2025) Qwen3MoeForCausalLM, whose one-client decode on 8 × B200 fell from 10.1 ms (0.5.6, the
        // cookbook) to 6.7 ms (0.5.8, the gist), the 188 all-reduces' unfused cost. The same list names GLM-4-MoE, not yet
        // in 0.5.8 (GLM-4.6's decode did not move from 0.5.6), and DeepSeek-V3 (on B200 since 0.5.5), not modelled: its
        // one-client decode on B200 already runs 9% faster modelled than published unfused (docs/calibration.md, Engine profiles).
        AllReduceFusionModels =
        [
            new("openai/gpt-oss-120b"), new("openai/gpt-oss-20b"),
            new("Qwen/Qwen3-235B-A22B", SglangQwen3MoeFusion), new("Qwen/Qwen3-30B-A3B", SglangQwen3MoeFusion),
            new("Qwen/Qwen3-Coder-480B-A35B-Instruct", SglangQwen3MoeFusion),
        ],
        ModelFusionMaxTokens = 2048,
        // Hybrid SWA memory (on by default): the window layers get their own pool of swa_full_tokens_ratio (0.8) × the
        // full layers' tokens.
        WindowKvPoolShare = 0.8,
        CompressedWindowKvPoolShare = 0.1,
    };

    /// <summary>The profile of <paramref name="engine"/>.</summary>
    public static EngineProfile For(ServingEngine engine) => engine switch
    {
        ServingEngine.Vllm => Vllm,
        ServingEngine.Sglang => Sglang,
        _ => Trtllm,
    };

    /// <summary>The CLI spelling of <paramref name="engine"/>.</summary>
    public static string Name(ServingEngine engine) => engine switch
    {
        ServingEngine.Vllm => "vllm",
        ServingEngine.Sglang => "sglang",
        _ => "trtllm",
    };

    /// <summary>
    /// Parses vllm, sglang or trtllm (case-insensitive). tensorrt-llm, tensorrt_llm and trt-llm name TensorRT-LLM too, and so
    /// does nim: NIM for LLMs serves its optimized profiles with TensorRT-LLM, which is what its published figures ran
    /// (<see cref="NamesNim"/>: as TensorRT engines).
    /// </summary>
    public static ServingEngine Parse(string text, string field = "--engine") => text.Trim().ToLowerInvariant() switch
    {
        "vllm" => ServingEngine.Vllm,
        "sglang" => ServingEngine.Sglang,
        "trtllm" or "tensorrt-llm" or "tensorrt_llm" or "trt-llm" or "trt_llm" or "nim" => ServingEngine.Trtllm,
        _ => throw new InputException($"{field} '{text}' is not known; use vllm, sglang or trtllm (nim for NIM's TensorRT-LLM profiles)."),
    };

    /// <summary>
    /// True when <paramref name="text"/> names NIM for LLMs rather than TensorRT-LLM itself. NIM's optimized profiles are
    /// TensorRT engines that NVIDIA built with trtllm-build and ships per GPU and precision, run by TensorRT-LLM's C++
    /// executor behind NIM's server: a NIM run is a TensorRT-engine run (<see cref="EngineSpec.TensorRtEngine"/>) unless
    /// told otherwise, where trtllm-serve and trtllm-bench default to the PyTorch backend since 1.0.
    /// </summary>
    public static bool NamesNim(string text) => text.Trim().Equals("nim", StringComparison.OrdinalIgnoreCase);
}
