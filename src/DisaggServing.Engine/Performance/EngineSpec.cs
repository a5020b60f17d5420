using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// One engine replica as vLLM would be launched: model, GPU, tensor and pipeline parallelism, dtypes and the
/// scheduler limits that size its memory. Validation errors name the option and the fix.
/// </summary>
public sealed record EngineSpec
{
    /// <summary>The model served.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>The GPU every rank runs on.</summary>
    public required GpuSpec Gpu { get; init; }

    /// <summary>Tensor-parallel size (GPUs per pipeline stage, inside one node).</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Pipeline-parallel size (stages; each stage may sit on its own node).</summary>
    public int PipelineParallel { get; init; } = 1;

    /// <summary>Weight format: FP8 checkpoints keep embeddings and LM head in BF16, as NVIDIA's and vLLM's do.</summary>
    public DType WeightDtype { get; init; } = DType.Bf16;

    /// <summary>KV-cache format; null takes the engine's default (<see cref="EngineProfile.DefaultKvDtype"/>).</summary>
    public DType? KvCacheDtype { get; init; }

    /// <summary>
    /// The serving engine's semantics and costs. Defaults to vLLM's, the engine the product deploys (as the CLI, the
    /// topology and the Workers do); figures of another engine name theirs. Set <see cref="EnableChunkedPrefill"/> to
    /// the profile's <see cref="EngineProfile.ChunkedPrefill"/> when choosing another.
    /// </summary>
    public EngineProfile Engine { get; init; } = EngineProfiles.Vllm;

    /// <summary>Fitted constants from a profile file (<c>--profile</c>); null uses the built-in ones of this GPU and engine.</summary>
    public PerformanceConstants? Constants { get; init; }

    /// <summary>Expert-parallel size (MoE): experts spread over this many of the TP ranks, tokens dispatched all-to-all. 1 = experts sharded by TP.</summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>Attention data parallelism: every TP rank runs attention for its own share of the sequences, with replicated attention weights (SGLang/TensorRT-LLM enable_attention_dp).</summary>
    public bool AttentionDataParallel { get; init; }

    /// <summary>
    /// TensorRT-LLM's attention-DP balance (<c>attention_dp_config: enable_balance: true, timeout_iters: N,
    /// batching_wait_iters: 0</c>): new prompts wait on every rank until each rank has one (and a free slot), until N
    /// steps have passed since the last release, or while some rank has no decode; 0 = off, TensorRT-LLM's default.
    /// The scheduler holds them (<see cref="Scheduling.SchedulerConfig.ContextHoldRanks"/>), so prompts prefill on the
    /// ranks together and the decodes stall less often, at the cost of their TTFT.
    /// </summary>
    public int AttentionDpBalanceSteps { get; init; }

    /// <summary>Waiting prompts the scheduler holds new prompts for under <see cref="AttentionDpBalanceSteps"/>: one per DP rank; 0 when off.</summary>
    public int ContextHoldRanks => AttentionDpBalanceSteps > 0 ? TensorParallel : 0;

    /// <summary>The constants in effect: <see cref="Constants"/>, or the built-in ones of this GPU and engine.</summary>
    public PerformanceConstants EffectiveConstants => Constants ?? PerformanceConstants.Resolve(Gpu, Engine);

    /// <summary>
    /// --gpu-memory-utilization: the fraction of HBM the engine may use (vLLM's; SGLang's --mem-fraction-static, its
    /// weights and KV only; TensorRT-LLM's kv_cache_free_gpu_mem_fraction of what weights and activations leave); null
    /// for the engine's default (<see cref="EffectiveGpuMemoryUtilization"/>).
    /// </summary>
    public double? GpuMemoryUtilization { get; init; }

    /// <summary><see cref="GpuMemoryUtilization"/>, or the engine's default for this GPU and layout (<see cref="EngineProfile.DefaultGpuMemoryUtilization"/>).</summary>
    public double EffectiveGpuMemoryUtilization => GpuMemoryUtilization ?? Engine.DefaultGpuMemoryUtilization(this);

    /// <summary>
    /// SGLang's --swa-full-tokens-ratio: tokens of the window layers' pool per token of the full pool; null for the
    /// engine's own (<see cref="EngineProfile.WindowKvPoolShare"/>).
    /// </summary>
    public double? WindowPoolRatio { get; init; }

    /// <summary>
    /// <see cref="WindowPoolRatio"/>, or the engine's own share for this model (0 where windows take only the blocks they
    /// hold; SGLang's DeepSeek-V4 default, <see cref="EngineProfile.CompressedWindowKvPoolShare"/>, is its own).
    /// </summary>
    public double WindowPoolShare => WindowPoolRatio ?? (Model.Compressed is not null ? Engine.CompressedWindowKvPoolShare : Engine.WindowKvPoolShare);

    /// <summary>vLLM --max-num-batched-tokens: the per-step token budget.</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>vLLM --max-num-seqs: sequences per step.</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>
    /// vLLM --enable-chunked-prefill (on by default in vLLM V1): a prompt larger than the step's remaining budget
    /// is split across steps. TensorRT-LLM's default (enable_chunked_context off) waits for a step it fits in whole.
    /// </summary>
    public bool EnableChunkedPrefill { get; init; } = true;

    /// <summary>
    /// Mix prefill chunks into decode steps (SGLang <c>--enable-mixed-chunk</c>); null takes the engine's default
    /// (<see cref="EngineProfile.MixedPrefillDecode"/>).
    /// </summary>
    public bool? MixedPrefillDecode { get; init; }

    /// <summary>
    /// Schedule each step only after the previous one's output is back (vLLM before 0.14, or <c>--no-async-scheduling</c>;
    /// TensorRT-LLM's PyTorch backend before 0.20, or <c>disable_overlap_scheduler</c>; SGLang with
    /// <c>--disable-overlap-schedule</c>, or serving a linear-attention hybrid from its radix cache in 0.5.4-0.5.13,
    /// <see cref="ReleaseDefaults.For"/>): the engine's <see cref="EngineProfile.SyncSchedulingStepSeconds"/> is added to
    /// every step.
    /// </summary>
    public bool SynchronousScheduling { get; init; }

    /// <summary>
    /// True when the engine schedules each step after the previous one's output: <see cref="SynchronousScheduling"/>, or
    /// vLLM or SGLang drafting with <see cref="SpeculativeMethod.Ngram"/>, for which each turns its overlap off whatever its
    /// release ("Async scheduling not supported with ngram-based speculative decoding and will be disabled",
    /// vllm/config/vllm.py; SGLang's server_args: "The overlap scheduler and mixed chunked prefill are disabled because
    /// of using ngram speculative decoding"; their EAGLE-family and MTP drafters keep it, SGLang's from 0.5.13,
    /// <see cref="ReleaseDefaults.SglangSpeculationSynchronous"/>).
    /// </summary>
    public bool SchedulesSynchronously => SynchronousScheduling
        || (Engine.Engine is ServingEngine.Vllm or ServingEngine.Sglang && Speculative is { Method: SpeculativeMethod.Ngram });

    /// <summary>
    /// True when the engine builds each step while the one before still runs, so a request that arrives during a step
    /// joins the step after next: vLLM's async scheduling, SGLang's and TensorRT-LLM's PyTorch-backend overlap
    /// schedulers (a TensorRT engine's C++ executor schedules after each step, as <see cref="SchedulesSynchronously"/> does).
    /// </summary>
    public bool SchedulesAhead => !SchedulesSynchronously && !TensorRtEngine;

    /// <summary>
    /// True when a step's tokens go out only once the next step is launched (<see cref="EngineProfile.OutputAfterNextLaunch"/>):
    /// SGLang's overlap loop; its synchronous loop (<c>event_loop_normal</c>) hands them out as soon as the step ends.
    /// </summary>
    public bool HoldsOutputUntilNextLaunch => Engine.OutputAfterNextLaunch && !SchedulesSynchronously;

    /// <summary>
    /// vLLM only: its V0 engine (<c>--vllm-engine v0</c>: the default before 0.8, <c>VLLM_USE_V1=0</c> until 0.10), which
    /// schedules every step synchronously (so <see cref="SynchronousScheduling"/> must hold) and spends host time on every
    /// running sequence each step: its sequence groups' scheduling and input metadata, sampling metadata, detokenization
    /// and output objects (<see cref="EngineProfile.V0SequenceHostSeconds"/>), run while the GPU works on the step, as its
    /// async output processing (0.6 on) lets them (before 0.6 after it, <see cref="SerialOutputProcessing"/>). Its one-request decode also grows with the context as a serial walk of
    /// it does (<see cref="Catalog.GpuSpec.UnsplitDecodeTokenSeconds"/>, measured on Red Hat's vLLM 0.7.2 cards; the cause
    /// in V0's FlashAttention-2 call is not identified), so V0 is costed with that walk too.
    /// </summary>
    public bool VllmV0 { get; init; }

    /// <summary>
    /// vLLM's V0 engine before 0.6 (<see cref="VllmV0"/> with an <c>--engine-version</c> before it): one Python process ran
    /// the API server, the scheduler and the detokenizer, and processed a step's outputs before launching the next, so
    /// the host time per running sequence (<see cref="EngineProfile.V0SequenceHostSeconds"/>) follows the GPU's step
    /// instead of running beside it. 0.6.0 brought async output processing (vLLM's v0.6.0 post: 0.5.3 kept one H100 busy
    /// 38% of the time serving Llama-3-8B).
    /// </summary>
    public bool SerialOutputProcessing => VllmV0 && Release is { } release && release.Before(0, 6);

    /// <summary>
    /// Whether the engine's attention kernels honour a model's chunked local attention (Llama 4's
    /// <c>attention_chunk_size</c>): true, a chunked layer attends to and reads only its query's chunk; false, every layer
    /// attends to the whole context (<c>--chunked-attention off</c>), as TensorRT-LLM before 0.21 ran Llama 4, whose
    /// chunked-attention kernels came in 0.21. The KV pool is the same either way (the engines keep the chunked layers'
    /// blocks whole).
    /// </summary>
    public bool ChunkedAttention { get; init; } = true;

    /// <summary>
    /// The engine release modelled (<c>--engine-version</c>), null for the engine as it runs today. Its defaults
    /// (<see cref="ReleaseDefaults"/>) are already in the settings above; it is kept so a command line can say the release
    /// instead of them.
    /// </summary>
    public EngineRelease? Release { get; init; }

    /// <summary>
    /// True when the engine is NIM for LLMs' TensorRT-LLM (<c>--engine nim</c>): TensorRT engines NVIDIA built, and
    /// <see cref="Release"/> is NIM's own release, whose engines' build it implies (<see cref="ReleaseDefaults.ForNim"/>).
    /// </summary>
    public bool Nim { get; init; }

    /// <summary>What <see cref="Release"/> runs by default for this model, format and GPU.</summary>
    public ReleaseDefaults ReleaseDefaults => ReleaseDefaults.For(Engine.Engine, Release, Gpu, Model, WeightDtype, Nim, Speculative?.Method);

    /// <summary>
    /// This engine, at today's defaults, as <paramref name="release"/> ran it by default (<see cref="ReleaseDefaults"/>);
    /// TensorRT engines and unsplit decode attention stay where already asked for.
    /// </summary>
    public EngineSpec AsReleased(EngineRelease? release)
    {
        var released = ReleaseDefaults.For(Engine.Engine, release, Gpu, Model, WeightDtype, Nim, Speculative?.Method);
        return this with
        {
            Release = release, VllmV0 = released.VllmV0, SynchronousScheduling = released.VllmV0 || released.SynchronousScheduling,
            MoeBackend = released.MoeBackend, TensorRtEngine = TensorRtEngine || released.TensorRtEngine, ChunkedAttention = released.ChunkedAttention,
            UnsplitDecodeAttention = UnsplitDecodeAttention || !released.MultiBlockMode,
            MaxNumBatchedTokens = released.MaxNumTokens ?? MaxNumBatchedTokens,
        };
    }

    /// <summary>
    /// Whether steps mix prefill and decode: <see cref="MixedPrefillDecode"/>, or the engine's default (unmixed behind
    /// attention DP where the engine runs prefill alone there, <see cref="EngineProfile.PrefillAloneBehindAttentionDp"/>).
    /// </summary>
    public bool EffectiveMixedPrefillDecode =>
        MixedPrefillDecode ?? (AttentionDataParallel && Engine.PrefillAloneBehindAttentionDp ? false : Engine.MixedPrefillDecode);

    /// <summary>
    /// The MoE kernel the routed experts run as where it is not the engine's default (<c>--moe-backend</c>): vLLM's Marlin
    /// for MXFP4 experts on Hopper or A100, TensorRT-LLM's CUTLASS MoE for them on Blackwell, FlashInfer's
    /// TensorRT-LLM-gen MoE with BF16 or MXFP8 activations under vLLM or SGLang on Blackwell; null takes the engine's
    /// choice for the GPU (<see cref="EngineProfile.Mxfp4MarlinBeforeHopper"/>, <see cref="EngineProfile.Mxfp4Bf16ActivationsOnBlackwell"/>;
    /// TensorRT-LLM's TRTLLM-gen MoE on Blackwell).
    /// </summary>
    public MoeBackend? MoeBackend { get; init; }

    /// <summary>
    /// True when MXFP4 experts on Blackwell multiply BF16 activations (<see cref="Performance.MoeBackend.FlashinferBf16"/>,
    /// vLLM's default): their MMAs run at BF16's rate, half the MXFP8 × MXFP4 rate the others run at.
    /// </summary>
    public bool Mxfp4ExpertsTakeBf16Activations =>
        WeightDtype == DType.Mxfp4 && Gpu.Fp4Flops is not null
        && (MoeBackend is { } backend ? backend == Performance.MoeBackend.FlashinferBf16 : Engine.Mxfp4Bf16ActivationsOnBlackwell);

    /// <summary>
    /// Fuse each TP all-reduce with the residual add and RMSNorm after it (<c>--allreduce-fusion</c>): vLLM's compilation
    /// pass <c>enable_fi_allreduce_fusion</c> (FlashInfer's one-shot/two-shot all-reduce + RMSNorm, off unless a
    /// compilation config turns it on) or SGLang's <c>--enable-flashinfer-allreduce-fusion</c>; null takes the engine's
    /// choice for the model (<see cref="EngineProfile.AllReduceFusionModels"/>). Either way only on Hopper and Blackwell,
    /// one node, TP above 1 and no attention DP (<see cref="EngineProfile.FusesAllReduce"/>).
    /// </summary>
    public bool? AllReduceFusion { get; init; }

    /// <summary>
    /// TensorRT-LLM only: the run executes TensorRT engines (<c>--trtllm-backend tensorrt</c>: engines built by trtllm-build
    /// and run by the C++ runtime, as the perf overview before v0.19, NIM's optimized profiles and NVIDIA's MLPerf
    /// submissions ran) instead of the PyTorch backend, the default since 1.0. An engine launches its kernels from C++
    /// in every step; the PyTorch backend replays CUDA graphs for generation-only steps and launches the kernels of any
    /// step holding a context from Python (<see cref="EngineProfile.EagerKernelSeconds"/>).
    /// </summary>
    public bool TensorRtEngine { get; init; }

    /// <summary>
    /// The engine streams every token to its client, as a server does (the Worker, <c>simulate</c>, <c>plan</c>, and the
    /// benchmarks genai-perf, bench_serving and vllm bench serve), rather than answering once per finished request as an
    /// offline run does (trtllm-bench, <c>LLM.generate</c>; the estimator clears it for <c>--offline</c>). TensorRT
    /// engines pay their executor's per-request response each step for it
    /// (<see cref="EngineProfile.TensorRtEngineStreamedSequenceSeconds"/>).
    /// </summary>
    public bool StreamsTokens { get; init; } = true;

    /// <summary>
    /// TensorRT-LLM only: decode attention without multi-block mode (<c>--multi-block-mode off</c>; a trtllm-build flag,
    /// off by default, until 0.12 moved it to the runtime): the XQA/masked MHA kernel gives each KV head of a sequence one
    /// thread block that walks the whole context, so one sequence's long context is a serial walk
    /// (<see cref="Catalog.GpuSpec.UnsplitDecodeTokenSeconds"/>) instead of a read spread over the GPU, and a large batch's
    /// walks take turns (<see cref="Catalog.GpuSpec.UnsplitDecodeBlocks"/>).
    /// </summary>
    public bool UnsplitDecodeAttention { get; init; }

    /// <summary>
    /// TensorRT-LLM's TensorRT engines (<c>--xqa on|off</c>; its PyTorch backend always runs XQA): decode a GQA or MQA model's attention with the XQA kernels, which
    /// handle a KV head once for its group of query heads; off, the masked MHA kernel decodes it as it decodes an MHA
    /// model, one thread block a query head (<see cref="MaskedMhaDecodesGqa"/>). Null takes the release's default
    /// (<see cref="Performance.ReleaseDefaults.Xqa"/>: off before 0.10 unless <c>TRTLLM_ENABLE_XQA=1</c>).
    /// </summary>
    public bool? Xqa { get; init; }

    /// <summary>
    /// A TensorRT engine decoding a GQA/MQA model through the masked MHA kernel (<see cref="Xqa"/> off, or a shape the
    /// release's XQA kernels lack): each query head's block reads and converts its KV head's cache
    /// (<see cref="EngineProfile.MaskedMhaFp8GroupBytesPerSecond"/>).
    /// </summary>
    public bool MaskedMhaDecodesGqa => TensorRtEngine && Model.Mla is null && Model.KvHeads < Model.Heads
        && !((Xqa ?? ReleaseDefaults.Xqa) && (ReleaseDefaults.Xqa || ExperimentalXqaCovers(Model)));

    /// <summary>
    /// Whether the experimental XQA of the releases before 0.10 (<c>TRTLLM_ENABLE_XQA=1</c>) decodes a model: its
    /// precompiled kernels (decoderMaskedMultiheadAttention/cubin/xqa_kernel_cubin.h) cover heads of 128 (later also 256)
    /// with eight query heads a KV head, Llama-2-70B's shape, and the runtime falls back to the masked MHA kernel for any
    /// other: Falcon-180B (heads of 64, 29 a KV head) decodes through it whatever the variable says.
    /// </summary>
    private static bool ExperimentalXqaCovers(ModelSpec model) => model.HeadDim is 128 or 256 && model.Heads == 8 * model.KvHeads;

    /// <summary>
    /// The server's cost on each request's first token, outside the engine loop: the constants' <see cref="PerformanceConstants.FirstTokenSeconds"/>,
    /// plus <see cref="EngineProfile.PyTorchServerFirstTokenSeconds"/> where a PyTorch-backend run streams from its own server,
    /// or <see cref="EngineProfile.TensorRtEngineRankFirstTokenSeconds"/> a GPU where a served TensorRT engine does.
    /// </summary>
    public double ServerFirstTokenSeconds =>
        EffectiveConstants.FirstTokenSeconds + (!StreamsTokens ? 0
            : TensorRtEngine ? Engine.TensorRtEngineRankFirstTokenSeconds * GpusPerReplica
            : Engine.PyTorchServerFirstTokenSeconds);

    /// <summary>
    /// The server's cost per prompt token on each request's first token (<see cref="EngineProfile.PromptTokenSeconds"/>:
    /// its front end tokenizes the prompt's text): every served run (vLLM's and SGLang's servers, trtllm-serve, NIM's in
    /// front of TensorRT engines) and whatever runs through a server-cost engine (vLLM's and SGLang's), not trtllm-bench's
    /// in-process runs (<see cref="StreamsTokens"/> off).
    /// </summary>
    public double ServerPromptTokenSeconds => Engine.FirstTokenSeconds > 0 || StreamsTokens ? Engine.PromptTokenSeconds : 0;

    /// <summary>
    /// The server's cost on the first token of a chat request whose model has a Jinja chat template: the profile's
    /// <see cref="EngineProfile.ChatTemplateSeconds"/>, or <see cref="EngineProfile.OlderChatTemplateSeconds"/> for a
    /// release before <see cref="EngineProfile.FasterChatTemplateFrom"/>.
    /// </summary>
    public double ChatTemplateSeconds =>
        Release is { } release && Engine.FasterChatTemplateFrom is { } faster && release.CompareTo(faster) < 0 ? Engine.OlderChatTemplateSeconds : Engine.ChatTemplateSeconds;

    /// <summary>Whether the TP all-reduces run fused with the norms after them, in some steps at least (<see cref="FusedAllReduceMaxTokens"/>).</summary>
    public bool EffectiveAllReduceFusion => FusedAllReduceMaxTokens > 0;

    /// <summary>
    /// The largest step, in tokens, whose TP all-reduces run fused with the norms after them: every step under
    /// <c>--allreduce-fusion on</c>; up to the engine's own limit for the models it always fuses (<see cref="EngineProfile.AllReduceFusionModels"/>,
    /// <see cref="EngineProfile.ModelFusionMaxTokens"/>);
    /// up to the engine's limits where its release fuses by default (<see cref="EngineProfile.DefaultAllReduceFusion"/>,
    /// one pipeline stage: vLLM's TP-with-PP fusion is broken, vllm-project/vllm issue 35426); none under <c>off</c>. Only on
    /// Hopper and Blackwell, TP above 1 and no attention DP.
    /// </summary>
    public double FusedAllReduceMaxTokens =>
        TensorParallel <= 1 || AttentionDataParallel || Gpu.Fp8Flops is null ? 0
        : AllReduceFusion is { } fuse ? (fuse ? double.PositiveInfinity : 0)
        : Engine.FusesAllReduce(Model, Gpu, TensorParallel, AttentionDataParallel, Release) ? Engine.ModelFusionMaxTokens
        : PipelineParallel == 1 && Engine.DefaultAllReduceFusion is { } limits && ReleaseDefaults.DefaultAllReduceFusion
            ? limits.MaxTokens(Gpu, TensorParallel, Model.Hidden) : 0;

    /// <summary>Whether the routed experts run as Marlin's W4A16 MoE: MXFP4 weights on a GPU without FP4 math, by <see cref="MoeBackend"/> or the engine's choice.</summary>
    public bool EffectiveMarlinMoe =>
        WeightDtype == DType.Mxfp4 && Gpu.Fp4Flops is null
        && (MoeBackend is { } backend ? backend == Performance.MoeBackend.Marlin : Engine.Mxfp4MarlinBeforeHopper && Gpu.Fp8Flops is null);

    /// <summary>
    /// Most prompt tokens one sequence computes in a step: with chunked prefill and attention DP on an engine that splits
    /// its budget among the ranks (<see cref="EngineProfile.AttentionDpSplitsChunk"/>), the budget ÷ TP; otherwise null
    /// (the whole budget; without chunking a rank runs its prompt whole, which its engine must allow).
    /// </summary>
    public int? MaxPrefillChunkTokens =>
        EnableChunkedPrefill && AttentionDataParallel && TensorParallel > 1 && Engine.AttentionDpSplitsChunk ? Math.Max(1, MaxNumBatchedTokens / TensorParallel) : null;

    /// <summary>
    /// Attention-DP ranks whose own budgets (the budget ÷ TP each) whole prompts are packed into: without chunked prefill,
    /// with attention DP on an engine that splits its budget among the ranks (<see cref="EngineProfile.AttentionDpSplitsChunk"/>),
    /// TP; otherwise 0 (one budget; with chunking <see cref="MaxPrefillChunkTokens"/> keeps each chunk to a rank's share).
    /// </summary>
    public int PromptRanks =>
        !EnableChunkedPrefill && AttentionDataParallel && TensorParallel > 1 && Engine.AttentionDpSplitsChunk ? TensorParallel : 0;

    /// <summary>Tokens per KV block.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>
    /// The largest step replayed from a CUDA graph (<c>--cuda-graph-max</c>): for vLLM the tokens of a step, mixed ones
    /// included (<c>--max-cudagraph-capture-size</c>, or the largest of <c>--cuda-graph-sizes</c>); for SGLang and
    /// TensorRT-LLM the sequences of a decode step (<c>--cuda-graph-max-bs</c>, <c>cuda_graph_config.max_batch_size</c>);
    /// a larger step launches its kernels from the host. Null takes the engine's default
    /// (<see cref="EngineProfile.CudaGraphMaxBatchFor"/>).
    /// </summary>
    public int? CudaGraphMaxBatch { get; init; }

    /// <summary>The largest step replayed from a CUDA graph: <see cref="CudaGraphMaxBatch"/>, else the engine's default.</summary>
    public int EffectiveCudaGraphMaxBatch => CudaGraphMaxBatch ?? Engine.CudaGraphMaxBatchFor(Gpu, TensorParallel);

    /// <summary>
    /// Speculative decoding (<c>--speculative-method</c>, <c>--num-speculative-tokens</c>, <c>--acceptance-length</c>): each
    /// decoding sequence verifies its draft tokens in the target's step and gains the accepted ones; null decodes one token
    /// a step, as every engine does by default.
    /// </summary>
    public SpeculativeDecoding? Speculative { get; init; }

    /// <summary>The KV format in effect.</summary>
    public DType EffectiveKvDtype => KvCacheDtype ?? Engine.DefaultKvDtype(Model, WeightDtype);

    /// <summary>
    /// Sequences the scheduler runs at once. TensorRT-LLM takes a <c>max_batch_size</c> above <c>max_num_tokens</c>; its
    /// micro-batch scheduler then fills each step up to the token limit, so no more sequences than that run a step.
    /// </summary>
    public int RunningSeqsLimit => Math.Min(MaxNumSeqs, MaxNumBatchedTokens);

    /// <summary>GPUs one replica occupies.</summary>
    public int GpusPerReplica => TensorParallel * PipelineParallel;

    /// <summary>Layers on the most loaded pipeline stage.</summary>
    public int LayersPerStage => (Model.Layers + PipelineParallel - 1) / PipelineParallel;

    /// <summary>
    /// Full-attention layers on the most loaded stage: <see cref="LayersPerStage"/>, or their share of the stack's attention
    /// layers where a NAS model drops some (<see cref="ModelSpec.Nas"/>) or a hybrid one runs linear attention in others
    /// (<see cref="ModelSpec.Linear"/>; a stage is given the stack's mean, not its own layers).
    /// </summary>
    public double AttentionLayersPerStage => Model.AttentionLayers == Model.Layers ? LayersPerStage : (double)LayersPerStage * Model.AttentionLayers / Model.Layers;

    /// <summary>Whether prompts are served from the prefix cache (<see cref="ModelSpec.PrefixCacheable"/>).</summary>
    public bool PrefixCachesPrompts => Model.PrefixCacheable;

    /// <summary>
    /// The model's linear-attention layers with their recurrent state as this engine keeps it (<see cref="EngineProfile.RecurrentStateBytes"/>);
    /// null for a model without them.
    /// </summary>
    public LinearAttentionSpec? RecurrentState =>
        Model.Linear is { } linear && Engine.RecurrentStateBytes is { } bytes ? linear with { StateBytes = bytes } : Model.Linear;

    /// <summary>One sequence's recurrent state over every layer and rank (<see cref="RecurrentState"/>): 0 for a model without linear attention.</summary>
    public double RecurrentStateBytesPerSequence => RecurrentState?.StateBytesPerSequence ?? 0;

    /// <summary>Linear-attention layers on the most loaded stage (the stack's mean share; 0 where every layer has full attention).</summary>
    public double LinearLayersPerStage => Model.Linear is { } linear ? (double)LayersPerStage * linear.Layers / Model.Layers : 0;

    /// <summary>Throws an <see cref="InputException"/> naming the first invalid option.</summary>
    public EngineSpec Validate()
    {
        Positive(TensorParallel, "--tp");
        Positive(PipelineParallel, "--pp");
        Positive(MaxNumBatchedTokens, "--max-num-batched-tokens");
        Positive(MaxNumSeqs, "--max-num-seqs");
        Positive(BlockSize, "--block-size");
        if (CudaGraphMaxBatch is { } graphs) Positive(graphs, "--cuda-graph-max");
        // vLLM and SGLang refuse a token budget below the sequence limit; TensorRT-LLM takes it (RunningSeqsLimit).
        if (MaxNumBatchedTokens < MaxNumSeqs && Engine.Engine != ServingEngine.Trtllm)
            throw new InputException($"--max-num-batched-tokens ({MaxNumBatchedTokens}) must be at least --max-num-seqs ({MaxNumSeqs}) for {EngineProfiles.Name(Engine.Engine)}: a full running set must decode in one step. Raise --max-num-batched-tokens or lower --max-num-seqs.");
        if (GpuMemoryUtilization is { } fraction && fraction is <= 0 or > 1)
            throw new InputException($"--gpu-memory-utilization must be in (0, 1]; got {GpuMemoryUtilization}.");
        if (Model.Heads % TensorParallel != 0)
            throw new InputException($"--tp {TensorParallel} does not divide the {Model.Heads} attention heads of {Model.Id}; use a TP that divides {Model.Heads} (e.g. {string.Join(", ", Divisors(Model.Heads))}).");
        if (Model.Attention == AttentionKind.Gqa && Model.KvHeads % TensorParallel != 0 && TensorParallel % Model.KvHeads != 0)
            throw new InputException($"--tp {TensorParallel} and the {Model.KvHeads} KV heads of {Model.Id} do not divide one another; use a TP that divides {Model.KvHeads} or a multiple of it.");
        if (Model.GlobalAttention is { } global && global.KvHeads % TensorParallel != 0 && TensorParallel % global.KvHeads != 0)
            throw new InputException($"--tp {TensorParallel} and the {global.KvHeads} KV heads of {Model.Id}'s full-attention layers do not divide one another; use a TP that divides {global.KvHeads} or a multiple of it.");
        if (MoeBackend == Performance.MoeBackend.Marlin && (WeightDtype != DType.Mxfp4 || Gpu.Fp4Flops is not null))
            throw new InputException($"--moe-backend marlin applies to MXFP4 experts (--dtype mxfp4, gpt-oss) on Hopper or A100; {Model.Id} is served as {WeightDtype.Name()} on {Gpu.Id}. Leave out --moe-backend.");
        if (MoeBackend == Performance.MoeBackend.Cutlass && (Engine.Engine != ServingEngine.Trtllm || WeightDtype is not (DType.Mxfp4 or DType.Fp4) || Gpu.Fp4Flops is null))
            throw new InputException($"--moe-backend cutlass applies to TensorRT-LLM's MXFP4 and NVFP4 experts (--engine trtllm, --dtype mxfp4 or fp4) on Blackwell (--gpu b200); {Model.Id} is served as {WeightDtype.Name()} by {EngineProfiles.Name(Engine.Engine)} on {Gpu.Id}. Leave out --moe-backend.");
        if (MoeBackend is Performance.MoeBackend.FlashinferBf16 or Performance.MoeBackend.FlashinferMxfp8
            && (Engine.Engine == ServingEngine.Trtllm || WeightDtype != DType.Mxfp4 || Gpu.Fp4Flops is null))
            throw new InputException($"--moe-backend {MoeBackends.Name(MoeBackend.Value)} applies to vLLM's and SGLang's MXFP4 experts (--engine vllm|sglang, --dtype mxfp4, gpt-oss) on Blackwell (--gpu b200); {Model.Id} is served as {WeightDtype.Name()} by {EngineProfiles.Name(Engine.Engine)} on {Gpu.Id}. Leave out --moe-backend (TensorRT-LLM's TRTLLM MoE takes MXFP8 activations; cutlass picks its other MoE).");
        Positive(ExpertParallel, "--ep");
        if (ExpertParallel > 1 && Model.Moe is null)
            throw new InputException($"--ep {ExpertParallel} applies to mixture-of-experts models; {Model.Id} is dense. Leave out --ep.");
        if (ExpertParallel > 1 && TensorParallel % ExpertParallel != 0)
            throw new InputException($"--ep {ExpertParallel} must divide --tp {TensorParallel}: experts are spread over the replica's TP ranks.");
        if (ExpertParallel > 1 && Model.Moe is { } moe && moe.RoutedExperts % ExpertParallel != 0)
            throw new InputException($"--ep {ExpertParallel} does not divide the {moe.RoutedExperts} experts of {Model.Id}.");
        if (AttentionDpBalanceSteps < 0)
            throw new InputException($"--attention-dp-balance must be a positive number of steps; got {AttentionDpBalanceSteps}.");
        if (AttentionDpBalanceSteps > 0 && Engine.Engine != ServingEngine.Trtllm)
            throw new InputException($"--attention-dp-balance applies to the trtllm engine only (attention_dp_config); {Engine.Name} has no such setting. Leave it out.");
        if (AttentionDpBalanceSteps > 0 && (!AttentionDataParallel || TensorParallel < 2))
            throw new InputException("--attention-dp-balance balances prompts over attention-DP ranks; add --attention-dp at --tp 2 or more, or leave it out.");
        Speculative?.Validate(Model);
        if (KvCacheDtype is { } kv && !kv.IsKvFormat())
            throw new InputException($"--kv-cache-dtype {kv.Name()} is not supported; use fp8 or bf16.");
        if (UnsupportedFormat() is { } refusal) throw new InputException(refusal);
        if (WeightDtype == DType.Mxfp4 && Model.Moe is null)
            throw new InputException($"--dtype mxfp4 quantizes MoE experts only; {Model.Id} is dense. Use fp4, fp8 or bf16.");
        if (TensorRtEngine && Engine.Engine != ServingEngine.Trtllm)
            throw new InputException($"--trtllm-backend tensorrt applies to the trtllm engine only; {Engine.Name} has no TensorRT engines. Leave it out or use --engine trtllm.");
        if (UnsplitDecodeAttention && Engine.Engine != ServingEngine.Trtllm)
            throw new InputException($"--multi-block-mode off applies to the trtllm engine only; {Engine.Name} splits long decode contexts itself. Leave it out.");
        if (Xqa is not null && Engine.Engine != ServingEngine.Trtllm)
            throw new InputException($"--xqa applies to the trtllm engine only (its TensorRT engines; the PyTorch backend always runs XQA); {Engine.Name} picks its own decode kernels. Leave it out.");
        if (VllmV0 && Engine.Engine != ServingEngine.Vllm)
            throw new InputException($"--vllm-engine v0 applies to the vllm engine only; {Engine.Name} has no V0 engine. Leave it out.");
        if (VllmV0 && !SynchronousScheduling)
            throw new InputException("--vllm-engine v0 schedules every step synchronously; leave out --async-scheduling on.");
        if (!ChunkedAttention && Model.Window is not { Chunked: true })
            throw new InputException($"--chunked-attention off applies to models with chunked local attention (Llama 4); {Model.Id} has none. Leave it out.");
        if (PipelineParallel > Model.Layers)
            throw new InputException($"--pp {PipelineParallel} exceeds the {Model.Layers} layers of {Model.Id}.");
        return this;
    }

    /// <summary>
    /// Why the engine cannot run these weights or this KV format on the GPU, or null: TensorRT-LLM (and NIM, which serves
    /// through it) has FP8 kernels from SM89 (Ada, Hopper), MXFP4 MoE ones from SM90 and NVFP4 ones on Blackwell only;
    /// vLLM runs all three weight-only (Marlin) on older GPUs, and SGLang FP8. DeepSeek-V4's attention runs only on FlashMLA's
    /// FP8 sparse kernels, which need Hopper or Blackwell, in every engine.
    /// </summary>
    public string? UnsupportedFormat()
    {
        if (Model.Compressed is not null && Gpu.Fp8Flops is null)
            return $"{Model.Id} attends through FlashMLA's FP8 sparse kernels, which need Hopper or Blackwell (--gpu h100, h200 or b200); {Gpu.Id} is older.";
        if (Model.Compressed is not null && EffectiveKvDtype != DType.Fp8)
            return $"{Model.Id} keeps its KV cache in FP8 only (the engines' fp8_ds_mla layout); drop --kv-cache-dtype {EffectiveKvDtype.Name()} or pass --kv-cache-dtype fp8.";
        if (Engine.Engine != ServingEngine.Trtllm) return null;
        var name = Nim ? "nim" : Engine.Name;
        if (WeightDtype == DType.Fp4 && Gpu.Fp4Flops is null)
            return $"--dtype fp4 (NVFP4) runs on Blackwell only under {name} (--gpu b200); {Gpu.Id} has no FP4 tensor cores. Serve {Model.Id} in fp8{(Gpu.Fp8Flops is null ? " on Hopper" : "")} or bf16, or use --engine vllm, which runs NVFP4 weight-only there.";
        if (WeightDtype == DType.Mxfp4 && Gpu.Fp8Flops is null)
            return $"--dtype mxfp4 (gpt-oss's experts) runs on Hopper and Blackwell only under {name} (its W4A16 MXFP4 MoE needs SM90); {Gpu.Id} is older. Use --engine vllm, which runs them through Marlin there.";
        if (WeightDtype == DType.Fp8 && Gpu.Fp8Flops is null)
            return $"--dtype fp8 needs FP8 tensor cores under {name} (Hopper or Blackwell); {Gpu.Id} has none. Serve {Model.Id} in bf16 or int8/int4, or use --engine vllm or sglang, which run FP8 weight-only there.";
        if (EffectiveKvDtype == DType.Fp8 && Gpu.Fp8Flops is null)
            return $"--kv-cache-dtype fp8 needs FP8 tensor cores under {name} (Hopper or Blackwell); {Gpu.Id} has none. Use --kv-cache-dtype bf16.";
        return null;
    }

    private static void Positive(int value, string field)
    {
        if (value < 1) throw new InputException($"{field} must be a positive integer; got {value}.");
    }

    private static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, Math.Min(n, 16)).Where(d => n % d == 0);
}
