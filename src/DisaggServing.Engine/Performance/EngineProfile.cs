using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// What a serving engine does by default and what it costs beyond the GPU kernels: scheduler defaults (chunked
/// prefill, sequence and token limits, admission), the largest batch it replays as a CUDA graph, host costs per
/// step and per sequence, the server's cost on each request's first token (HTTP, tokenization, detokenization),
/// the KV format it picks, and how its kernels compare with TensorRT-LLM's (the GPU constants are fitted on
/// TensorRT-LLM). One profile per engine; see docs/calibration.md for where each value comes from.
/// </summary>
public sealed record EngineProfile
{
    /// <summary>The engine.</summary>
    public required ServingEngine Engine { get; init; }

    /// <summary>Splits prompts larger than the step's remaining budget across steps by default.</summary>
    public required bool ChunkedPrefill { get; init; }

    /// <summary>
    /// True when a step mixes prefill chunks with the running decodes (vLLM V1's scheduler, TensorRT-LLM's in-flight
    /// batching); false when prefill runs as its own batch, first, and decodes pause for it (SGLang without
    /// <c>--enable-mixed-chunk</c>, its default).
    /// </summary>
    public bool MixedPrefillDecode { get; init; } = true;

    /// <summary>
    /// True where the engine runs prefill as its own batch behind attention DP even though <see cref="MixedPrefillDecode"/>
    /// costs its other runs mixed: SGLang, which never mixes by default. Behind attention DP a rank's prefill chunk
    /// holds every rank's step (the MoE layers exchange tokens), and mixed steps charge that chunk to each decode token
    /// of the step where SGLang alternates prefill and decode batches: GPUStack's GLM-5.2 DP-attention runs (8,204-token
    /// prompts) decode at 60-78 ms a token published, 120-126 mixed, 87-100 unmixed, and SGLang's DeepSeek-V4 cookbook
    /// DP4 cell's TPOT goes from −13% to −5%.
    /// </summary>
    public bool PrefillAloneBehindAttentionDp { get; init; }

    /// <summary>
    /// True when the engine hands out a step's tokens only after it has launched the next step (SGLang's overlap
    /// scheduler, <c>event_loop_overlap</c>: it runs batch N+1, then processes batch N's results), so an eagerly
    /// launched next step (a prefill, not replayed from a CUDA graph) holds them back by its host launch time. SGLang
    /// turns this off between two prefill batches only when SGLANG_DISABLE_CONSECUTIVE_PREFILL_OVERLAP is set.
    /// </summary>
    public bool OutputAfterNextLaunch { get; init; }

    /// <summary>Default admission: TensorRT-LLM reserves a request's whole KV up front; vLLM and SGLang allocate as they go.</summary>
    public required AdmissionPolicy Admission { get; init; }

    /// <summary>Default sequences per step on large (≥ 70 GiB, non-A100) GPUs.</summary>
    public required int MaxNumSeqs { get; init; }

    /// <summary>Default sequences per step on smaller GPUs and A100.</summary>
    public required int SmallGpuMaxNumSeqs { get; init; }

    /// <summary>
    /// The replica's default running requests when speculative decoding is on, on any GPU, where the engine sets one
    /// for it; null keeps <see cref="MaxNumSeqs"/>. SGLang resets an unset <c>--max-running-requests</c> to 48 for every
    /// speculative algorithm (EAGLE, EAGLE3, NEXTN, STANDALONE, NGRAM: server_args, "Max running requests is reset to
    /// 48 for speculative decoding"), the limit its attention-DP workers then share.
    /// </summary>
    public int? SpeculativeMaxNumSeqs { get; init; }

    /// <summary>Default tokens per step on large GPUs.</summary>
    public required int MaxNumBatchedTokens { get; init; }

    /// <summary>Default tokens per step on smaller GPUs and A100.</summary>
    public required int SmallGpuMaxNumBatchedTokens { get; init; }

    /// <summary>Default tokens per step on GPUs of at least 160 GiB (B200, MI300), when the engine picks more there (SGLang's 16384-token chunk); null keeps <see cref="MaxNumBatchedTokens"/>.</summary>
    public int? HugeGpuMaxNumBatchedTokens { get; init; }

    /// <summary>Largest pure-decode batch replayed as a CUDA graph; larger or mixed batches launch kernels eagerly.</summary>
    public required int CudaGraphMaxBatch { get; init; }

    /// <summary>
    /// Largest CUDA-graph batch when the replica spans four or more TP ranks, where the engine captures more (SGLang: 512
    /// on H100, A100-80GB and H200, <c>server_args._handle_gpu_memory_settings</c>); null keeps <see cref="CudaGraphMaxBatch"/>.
    /// </summary>
    public int? CudaGraphMaxBatchFromTp4 { get; init; }

    /// <summary>Largest CUDA-graph batch on GPUs of at least 160 GiB (B200, MI300), when the engine captures more there (SGLang: 512 at any TP); null keeps the others.</summary>
    public int? HugeGpuCudaGraphMaxBatch { get; init; }

    /// <summary>
    /// The step size and CUDA graphs the engine picks on a GPU of under 60 GiB (A100-40GB), where it sizes them by the
    /// GPU's memory (SGLang: 4,096-token chunks, graphs of 32 sequences, 160 from TP4); null keeps the others.
    /// </summary>
    public Under60GiBDefaults? Under60GiB { get; init; }

    /// <summary>
    /// True when the engine selects a biased sigmoid router's experts (<see cref="Catalog.MoeSpec.BiasedSigmoidRouting"/>)
    /// in one fused kernel only for a power-of-two expert count (or Kimi K2's 384), and otherwise runs its torch-compiled
    /// fallback (<see cref="LayerKernels.UnfusedRouter"/>): SGLang, whose <c>moe_fused_gate</c> and FlashInfer
    /// <c>fused_topk_deepseek</c> paths need a power of two and whose Kimi K2 kernel takes 384 experts in one group
    /// (<c>biased_grouped_topk_gpu</c>, layers/moe/topk.py), so the GLM-4.5 family's 160 experts take the fallback in
    /// every release.
    /// </summary>
    public bool FusedBiasedRouterNeedsPowerOfTwo { get; init; }

    /// <summary>
    /// GPU time every DeepSeek Sparse Attention layer (<see cref="Catalog.MlaSpec.IndexerTopK"/>) adds to each step beyond
    /// its kernels' counted launches and work: the engine's sparse path's fixed cost a layer (SGLang's NSA indexer and
    /// decode: paged FP8 logits with their schedule metadata, the top-k's transform to a page table), charged to the
    /// indexed layers only under IndexShare (<see cref="Catalog.MlaSpec.IndexedLayers"/>), whose others reuse that
    /// top-k. Zero where not measured: vLLM's DSA figures (DeepSeek-V3.2 at hundreds of sequences, GLM-5.1 with MTP at
    /// 32) fit without it.
    /// </summary>
    public double DsaLayerSeconds { get; init; }

    /// <summary>True when CUDA graphs cover mixed prefill/decode steps up to <see cref="CudaGraphMaxBatch"/> tokens (vLLM's piecewise graphs); false when only pure-decode steps are captured.</summary>
    public bool CudaGraphCoversMixedSteps { get; init; }

    /// <summary>
    /// True when the engine torch-compiles the model's forward (vLLM), so a step with a prompt launches a hybrid's
    /// linear-attention layers no more kernels than a decode step (<see cref="LayerKernels.LinearMixer"/>): Inductor fuses
    /// the mixer's splits, gating and norms into the compiled pieces, and the chunked rule runs as FlashInfer's one Gated
    /// DeltaNet prefill kernel (vLLM on Hopper since February 2026). Mamba2's five chunked kernels go uncounted there.
    /// False where the model's modules launch their own kernels (SGLang, TensorRT-LLM's PyTorch backend): a prompt
    /// runs flash-linear-attention's chunked Triton kernels one by one.
    /// </summary>
    public bool CompilesModelForward { get; init; }

    /// <summary>
    /// Host cost per kernel of a step run eagerly (not replayed from a CUDA graph): the Python module code, the
    /// framework's dispatch and the launch. The host launches while the GPU runs what it has queued, so the step takes
    /// about the longer of the two (see <see cref="StepCost.HostLaunchSeconds"/>); kernels per layer come from the
    /// architecture (<see cref="LayerKernels"/>).
    /// </summary>
    public required double EagerKernelSeconds { get; init; }

    /// <summary>Host cost of one step (scheduling, input preparation, output processing).</summary>
    public required double StepSeconds { get; init; }

    /// <summary>
    /// Host time a step adds when the engine schedules synchronously (<see cref="EngineSpec.SynchronousScheduling"/>):
    /// scheduling the next step and processing the last one's output then wait for the GPU instead of overlapping it.
    /// TensorRT engines (<see cref="EngineSpec.TensorRtEngine"/>) pay it always: their C++ executor has no overlap
    /// scheduler.
    /// </summary>
    public double SyncSchedulingStepSeconds { get; init; }

    /// <summary>
    /// The host's own time for a step under asynchronous scheduling with more than one worker process (TP × PP above 1): it
    /// schedules the next step, hands it to the workers and takes the sampled tokens back while the GPU runs the step
    /// before, so a step lasts at least this long, plus <see cref="MultiprocessHostSequenceSeconds"/> a running sequence,
    /// however little the GPU does (joined with the GPU's time, <see cref="StepTimeModel.HostStepExponent"/>). Zero where
    /// not modelled; synchronous scheduling pays its host time on top instead (<see cref="SyncSchedulingStepSeconds"/>).
    /// </summary>
    public double MultiprocessHostStepSeconds { get; init; }

    /// <summary>With <see cref="MultiprocessHostStepSeconds"/>: the host's time per running sequence (scheduling, inputs, outputs).</summary>
    public double MultiprocessHostSequenceSeconds { get; init; }

    /// <summary>
    /// Fixed time of each MoE layer whose MXFP4 experts the engine runs on Blackwell through FlashInfer's
    /// TensorRT-LLM-gen MoE (not <see cref="MoeBackend.Cutlass"/>), beyond the layer's kernel floor and the experts' weight
    /// stream: the counterpart of TensorRT-LLM's NVFP4 one (<see cref="BlackwellFp4Experts.Nvfp4MoeLayerSeconds"/>) on this
    /// engine's path to the kernel. Zero where its runs show none.
    /// </summary>
    public double Mxfp4MoeLayerSeconds { get; init; }

    /// <summary>
    /// Host time per running sequence a step of vLLM's V0 engine spends (<see cref="EngineSpec.VllmV0"/>): the Python
    /// objects of its scheduler, input and sampling metadata, incremental detokenization and outputs, which run beside the
    /// GPU's step (async output processing) and join it as an eager step's launches do (<see cref="StepCost.HostLaunchSeconds"/>);
    /// before 0.6 they follow it (<see cref="EngineSpec.SerialOutputProcessing"/>).
    /// Zero for engines without a V0.
    /// </summary>
    public double V0SequenceHostSeconds { get; init; }

    /// <summary>Host cost per scheduled sequence (sampling, detokenization, bookkeeping).</summary>
    public required double PerSequenceSeconds { get; init; }

    /// <summary>
    /// Speculative decoding under releases before <see cref="GraphedDrafterFrom"/>: time each draft pass takes beyond
    /// its layer and LM head (<see cref="StepTimeModel"/>'s draft cost): the drafter's input preparation between passes,
    /// the sampling of its logits, its launches. Zero where no figure measures it.
    /// </summary>
    public double DraftPassSeconds { get; init; }

    /// <summary>Speculative decoding under releases before <see cref="GraphedDrafterFrom"/>: time a verifying step takes beyond its passes (the rejection sampler, the drafter's setup).</summary>
    public double SpeculativeStepSeconds { get; init; }

    /// <summary>
    /// The release from which the engine's drafter runs its passes as the target runs its steps (padded batches under
    /// CUDA graphs), so <see cref="DraftPassSeconds"/> and <see cref="SpeculativeStepSeconds"/> are no longer paid; null
    /// where they are paid in every release. A run without <c>--engine-version</c> is today's.
    /// </summary>
    public EngineRelease? GraphedDrafterFrom { get; init; }

    /// <summary>Server cost on each request's first token outside the engine loop (HTTP, tokenization, first detokenization).</summary>
    public required double FirstTokenSeconds { get; init; }

    /// <summary>
    /// Server cost per prompt token on each request's first token, beside <see cref="FirstTokenSeconds"/>: the front end
    /// tokenizes the prompt's text before the engine sees it (Hugging Face's Rust tokenizers in vLLM's, SGLang's,
    /// trtllm-serve's and NIM's servers), so a long prompt's first token waits milliseconds the engine's steps do not show. Applied
    /// through <see cref="EngineSpec.ServerPromptTokenSeconds"/>.
    /// </summary>
    public double PromptTokenSeconds { get; init; }

    /// <summary>
    /// Server cost on the first token of each request sent to the chat endpoint (<see cref="Estimation.ApiEndpoint.Chat"/>)
    /// for a model whose chat template is Hugging Face's Jinja one (every model but <see cref="ModelSpec.HarmonyChat"/>
    /// ones): the template's resolution and rendering before the request reaches the engine, on top of
    /// <see cref="FirstTokenSeconds"/>, in the releases from <see cref="FasterChatTemplateFrom"/> and today's (the
    /// engine's own <see cref="EngineSpec.ChatTemplateSeconds"/> picks by release). Zero where none is measured.
    /// </summary>
    public double ChatTemplateSeconds { get; init; }

    /// <summary>The chat template's cost (<see cref="ChatTemplateSeconds"/>) in the releases before <see cref="FasterChatTemplateFrom"/>.</summary>
    public double OlderChatTemplateSeconds { get; init; }

    /// <summary>
    /// The first release measured paying <see cref="ChatTemplateSeconds"/> rather than <see cref="OlderChatTemplateSeconds"/>;
    /// null where the cost is the same in every release. A run without <c>--engine-version</c> is today's.
    /// </summary>
    public EngineRelease? FasterChatTemplateFrom { get; init; }

    /// <summary>True when the KV cache takes the checkpoint's quantization (FP8/FP4 weights → FP8 KV), as TensorRT-LLM does with ModelOpt checkpoints (not MXFP4 ones, which declare no KV format); false keeps BF16 ("auto").</summary>
    public required bool KvFollowsWeights { get; init; }

    /// <summary>
    /// True when the KV cache takes the format the checkpoint's quantization config declares
    /// (<see cref="ModelSpec.CheckpointKvDtype"/>) while the weights are served in the checkpoint's own format: vLLM's
    /// <c>--kv-cache-dtype auto</c> resolves to a ModelOpt checkpoint's kv_cache_quant_algo (FP8 for NVIDIA's FP8/FP4
    /// exports) since December 2025 (resolve_kv_cache_dtype_string, vLLM PR 29980), so in 0.18/0.19, and SGLang's resolves
    /// to FP8 where the checkpoint's quantization config declares kv_cache_quant_algo FP8 (ModelRunner.configure_kv_cache_dtype,
    /// in its 0.5 releases); false keeps BF16.
    /// </summary>
    public bool KvFollowsCheckpoint { get; init; }

    /// <summary>
    /// Bytes an element of a hybrid model's recurrent state takes under this engine's default, whatever the checkpoint's
    /// config asks (<see cref="Catalog.LinearAttentionSpec.StateBytes"/>); null keeps the config's. SGLang's
    /// <c>--mamba-ssm-dtype</c> defaults to float32 (its server-arguments page; later builds take a format the config
    /// declares first, float32 still where it declares none, as for Qwen3-Next), so a Qwen3-Next state that vLLM keeps in
    /// BF16 takes twice the bytes to hold, read and write there.
    /// </summary>
    public int? RecurrentStateBytes { get; init; }

    /// <summary>
    /// True when the memory fraction (<c>--gpu-memory-utilization</c>) covers the weights and the KV pool only, the engine
    /// keeping activations and CUDA graphs in the rest, as SGLang's <c>--mem-fraction-static</c> does (its KV pool is the
    /// fraction of the GPU less the weights and the runtime's context); unset, the engine derives the fraction from the
    /// GPU's memory and its own settings (<see cref="SglangMemoryFraction"/>). False: the fraction includes the profiled
    /// activations (vLLM) or applies to the memory they leave (<see cref="KvFromFreeMemory"/>), 0.9 by default.
    /// </summary>
    public bool StaticMemoryFraction { get; init; }

    /// <summary>The memory fraction <paramref name="spec"/> runs at when none is given (<see cref="StaticMemoryFraction"/>).</summary>
    public double DefaultGpuMemoryUtilization(EngineSpec spec) => StaticMemoryFraction ? SglangMemoryFraction.Default(spec) : 0.9;

    /// <summary>True when the memory fraction (<c>--gpu-memory-utilization</c>) applies to the memory left free after weights and activations, as TensorRT-LLM's kv_cache_free_gpu_mem_fraction does; false when it applies to the whole HBM (vLLM, SGLang).</summary>
    public bool KvFromFreeMemory { get; init; }

    /// <summary>
    /// Latency added to each TP all-reduce over the GPU's fitted one (<see cref="Catalog.GpuSpec.CollectiveLatencySeconds"/>,
    /// fitted on TensorRT-LLM, which fuses the all-reduce with the residual add and RMSNorm into one kernel): engines that
    /// run the all-reduce and the norm as separate kernels pay an extra launch and a sync per all-reduce.
    /// </summary>
    public double UnfusedAllReduceSeconds { get; init; }

    /// <summary>
    /// The fastest a multi-head (MHA: a KV head per query head) model's decode attention reads its KV cache, as an HBM
    /// peak in bytes/s that the GPU's HBM efficiency then scales (0: no cap, the GPU's own HBM). TensorRT-LLM decodes MHA
    /// with its masked MHA kernel, GQA and MQA with XQA (its attention docs: "Masked MHA with multi-block optimization for
    /// generation", "XQA kernels for MQA/GQA models"); the masked MHA kernel keeps too few loads in flight to follow
    /// H200's faster HBM, so GPT-J and Llama-2-7B gain 1–19% from H100 to H200 where the KV read would gain 43%, while
    /// the GQA models of the same tables gain it. Applied on Hopper only, where it binds above H100's 3.35 TB/s (H200):
    /// Blackwell decodes with TensorRT-LLM-gen's attention kernels, and no figure measures an MHA model there.
    /// </summary>
    public double MaskedMhaKvReadBytesPerSecond { get; init; }

    /// <summary>
    /// A GQA model's FP8 KV cache decoded on Hopper by the masked MHA kernel (<see cref="EngineSpec.MaskedMhaDecodesGqa"/>):
    /// every query head's block converts its KV head's FP8 cache, so a step converts the group's share of KV once a query
    /// head, at this rate in bytes/s (× the GPU's HBM efficiency), while the HBM read stays one per KV head (the group's
    /// blocks run together; L2 serves the repeats). The conversion is the SMs' work, which H100 and H200 share: 0.9's
    /// Mistral-7B decodes at the same rate on both. An FP16/BF16 cache has nothing to convert (0.9's Mistral-7B on A100
    /// holds at one read a KV head). 0: not modelled.
    /// </summary>
    public double MaskedMhaFp8GroupBytesPerSecond { get; init; }

    /// <summary>
    /// Latency added to each TP all-reduce of a TensorRT engine (<see cref="EngineSpec.TensorRtEngine"/>): trtllm-build
    /// fuses the residual add and RMSNorm that follow its custom all-reduce into it only with <c>--reduce_fusion enable</c>,
    /// an experimental option off by default (TensorRT-LLM's performance best-practices guide, "Reduce Norm Fusion"),
    /// so engines built as published pay what an unfused all-reduce costs in the other engines
    /// (<see cref="UnfusedAllReduceSeconds"/>); the PyTorch backend fuses them. The guide measures about 6 µs of it as
    /// the fusion itself (Llama-3.3-70B TP4, 2048/2048: ITL 15.41 → 14.45 ms over 160 all-reduces a step); the
    /// TensorRT-engine figures want the whole 20 (6, 10, 20 and 30 µs tried: held-out median 9.9%, 9.5%, 9.0%, 9.0%),
    /// the rest these engines' older all-reduce kernels, not identified.
    /// </summary>
    public double TensorRtEngineAllReduceSeconds { get; init; }

    /// <summary>
    /// Host time per running sequence and step of a TensorRT engine that streams its tokens (<see cref="EngineSpec.TensorRtEngine"/>
    /// and <see cref="EngineSpec.StreamsTokens"/>): the C++ executor, which has no overlap scheduler, hands each streaming
    /// request a response every step on its own loop, between the engine's steps; an offline run (trtllm-bench, no
    /// streaming) answers once per request. Fitted on the DLI NIM's fifty-client ITLs together with the walk turns
    /// (<see cref="Catalog.GpuSpec.UnsplitDecodeBlocks"/>): 10, 12, 15, 20 and 25 µs tried (docs/calibration.md, Known misses).
    /// </summary>
    public double TensorRtEngineStreamedSequenceSeconds { get; init; }

    /// <summary>
    /// The serving front end's time per streamed token of a TensorRT engine that streams (<see cref="EngineSpec.TensorRtEngine"/>
    /// and <see cref="EngineSpec.StreamsTokens"/>: NIM's optimized profiles), on one thread beside the engine: it
    /// detokenizes and sends each running request's token while the engine computes the next step, so a step of B
    /// streaming requests lasts at least B times this (joined with the engine's time, <see cref="StepTimeModel.HostStepExponent"/>),
    /// and a replica streams at most its inverse in tokens a second whatever the GPUs could. The DLI NIM's Llama-3-8B on
    /// H100 levels off at 11,100-12,500 output tokens a second from 150-250 clients at TP1 and TP2, FP8 and FP16 alike,
    /// 200/200 and 200/1000 tokens alike (so per token, not per request); fitted on its four 250-client 200/200 output
    /// rows: 50, 60, 70, 80 and 90 µs tried, −1…+24%, −1…+16%, −3…+5%, −7…−5% and −15…−10%. The first token's wait in that
    /// thread's queue is not modelled (three of those rows' TTFTs stay 32-66% under).
    /// </summary>
    public double TensorRtEngineFrontEndTokenSeconds { get; init; }

    /// <summary>
    /// Server cost on each request's first token, on top of <see cref="FirstTokenSeconds"/>, where the run streams
    /// (<see cref="EngineSpec.StreamsTokens"/>) from the engine's own OpenAI server in front of its PyTorch backend
    /// (not <see cref="EngineSpec.TensorRtEngine"/>): trtllm-serve's FastAPI front end tokenizes, hands the request to the
    /// executor over IPC and detokenizes in its postprocess workers, the path vLLM's and SGLang's servers cost at
    /// 8 ms. <see cref="FirstTokenSeconds"/> stays what trtllm-bench (in process) pays; NIM's server in front of TensorRT
    /// engines is <see cref="TensorRtEngineServerSeconds"/>.
    /// </summary>
    public double PyTorchServerFirstTokenSeconds { get; init; }

    /// <summary>
    /// Time each request of a served TensorRT engine (<see cref="EngineSpec.TensorRtEngine"/> and
    /// <see cref="EngineSpec.StreamsTokens"/>: NIM's optimized profiles) spends on its server's one front-end thread before the
    /// engine sees it, one request after another: requests a closed loop's clients send together reach the engine that far
    /// apart, which keeps their prompts from all waiting on one step, and a lone request pays it on its first token.
    /// </summary>
    public double TensorRtEngineServerSeconds { get; init; }

    /// <summary>
    /// Cost on each request's first token of a served TensorRT engine (<see cref="EngineSpec.TensorRtEngine"/> and
    /// <see cref="EngineSpec.StreamsTokens"/>: NIM's optimized profiles) per GPU of its replica (TP × PP): what a lone
    /// request's TTFT keeps beyond its prefill step and the front end, growing with the ranks the engine's executor
    /// hands every new request to. Fitted, not read in a source; none where the engine runs in process or on the
    /// PyTorch backend (whose server is <see cref="PyTorchServerFirstTokenSeconds"/>).
    /// </summary>
    public double TensorRtEngineRankFirstTokenSeconds { get; init; }

    /// <summary>
    /// KV the engine sets aside for a short-window layer (<see cref="Catalog.AttentionWindow.HoldsWholeContexts"/> false:
    /// gpt-oss's 128 tokens) per token of the full layers' pool, as a fraction of a full layer's: 0 where window layers
    /// take only the few blocks their sequences hold (vLLM's hybrid KV manager draws them from the shared block pool;
    /// TensorRT-LLM's variable-window KV manager keeps them in a pool of their own sized by the window); SGLang's
    /// hybrid SWA pool holds swa_full_tokens_ratio (0.8) × the full pool's tokens whatever the window.
    /// </summary>
    public double WindowKvPoolShare { get; init; }

    /// <summary>
    /// <see cref="WindowKvPoolShare"/> for DeepSeek-V4 (<see cref="Catalog.ModelSpec.Compressed"/>), whose every layer
    /// keeps a window: SGLang overrides its swa_full_tokens_ratio to 0.1 for the model (arg_groups/overrides.py), so its
    /// pool sizing charges 0.1 window slot, with the compressors' state, a token (7,705 bytes a token for Flash with FP32
    /// state, 7,033 with BF16, as its pool configurator logs); 0 where windows take only the blocks they hold.
    /// </summary>
    public double CompressedWindowKvPoolShare { get; init; }

    /// <summary>
    /// True where the engine pages DeepSeek-V4's compressed caches in layer tuples padded to FlashMLA's alignment, as
    /// vLLM does (<see cref="Catalog.CompressedAttentionSpec.VllmPagedBytesPerToken"/>): its pool holds that many bytes a
    /// token, not the entries' own.
    /// </summary>
    public bool PagesCompressedCachesInLayerTuples { get; init; }

    /// <summary>
    /// A hybrid model's recurrent states kept in a pool of their own, this many bytes of it for each byte of the
    /// full-attention KV pool, the two splitting what weights and activations leave (SGLang's
    /// <c>--mamba-full-memory-ratio</c>, 0.9: ModelRunner.handle_max_mamba_cache solves state + KV = the rest, state ÷
    /// KV = the ratio); each running request holds <see cref="ReleaseDefaults.StateSlotsPerRequest"/> of its slots, so
    /// the pool bounds the running requests (<see cref="MemoryPlan.StateRunningLimit"/>). Null: the states take pages
    /// of the KV pool beside each request's blocks (vLLM's hybrid KV manager, <see cref="MemoryModel.StateBlocksPerSequence"/>).
    /// </summary>
    public double? StatePoolRatio { get; init; }

    /// <summary>
    /// Models whose TP all-reduces the engine fuses with the residual add and RMSNorm that follow, each from the release
    /// that began to, on GPUs with FP8 tensor cores (Hopper, Blackwell), one node, TP above 1 and no attention DP: there
    /// each all-reduce costs what TensorRT-LLM's fused one does (no <see cref="UnfusedAllReduceSeconds"/>) and each layer
    /// launches two norm kernels fewer. SGLang switches enable_flashinfer_allreduce_fusion on by model architecture in
    /// server_args (GptOssForCausalLM, and Qwen3MoeForCausalLM from 0.5.7 among them).
    /// </summary>
    public IReadOnlyList<FusedAllReduceModel> AllReduceFusionModels { get; init; } = [];

    /// <summary>
    /// The largest step, in tokens, whose all-reduces the engine fuses for <see cref="AllReduceFusionModels"/>: SGLang's
    /// FUSE_ALLREDUCE_MAX_BATCH_SIZE (2,048; layers/communicator.py, apply_flashinfer_allreduce_fusion); a larger prompt
    /// step runs them unfused.
    /// </summary>
    public double ModelFusionMaxTokens { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// Where the engine fuses every model's TP all-reduces with the norms after them by default, in the releases that do
    /// (<see cref="ReleaseDefaults.DefaultAllReduceFusion"/>): the largest message it fuses by GPU and TP size; null for an
    /// engine that fuses only <see cref="AllReduceFusionModels"/>' (or none) unless told to. vLLM's -O2, its default
    /// optimization level, turned fuse_allreduce_rms on for TP above 1 on Hopper and Blackwell with FlashInfer installed
    /// (vllm-project/vllm PR 34299, February 2026: first in 0.16).
    /// </summary>
    public FusedAllReduceLimits? DefaultAllReduceFusion { get; init; }

    /// <summary>True when <paramref name="release"/> of the engine fuses <paramref name="model"/>'s all-reduces with the norms after them on <paramref name="gpu"/> (<see cref="AllReduceFusionModels"/>).</summary>
    public bool FusesAllReduce(ModelSpec model, GpuSpec gpu, int tp, bool attentionDataParallel, EngineRelease? release = null) =>
        tp > 1 && !attentionDataParallel && gpu.Fp8Flops is not null
        && AllReduceFusionModels.Any(f => string.Equals(f.Id, model.AliasOf ?? model.Id, StringComparison.OrdinalIgnoreCase) && f.FusedIn(release));

    /// <summary>
    /// Bus bandwidth of the engine's TP all-reduce on messages well below <see cref="AllReduceHalfBytes"/>, relative to
    /// the GPU's large-message rate (<see cref="Catalog.GpuSpec.NvlinkEfficiency"/>); 1 when it keeps that rate at every
    /// size. Time per byte is the large-message one × (1 + (1 ÷ this − 1) · half ÷ (message + half)).
    /// </summary>
    public double AllReduceSmallEfficiency { get; init; } = 1;

    /// <summary>Message size (bytes per rank) at which the all-reduce's time per byte is half-way between its small-message and large-message rates, on NVLink 4 (Hopper); the GPU scales it (<see cref="Catalog.GpuSpec.AllReduceHalfBytesScale"/>).</summary>
    public double AllReduceHalfBytes { get; init; } = 16e6;

    /// <summary>
    /// Rows of one tile of the engine's MoE grouped GEMM: every expert a step hits costs at least one tile, and about
    /// half a tile more than its rows on average (the last tile is half empty). TensorRT-LLM's CUTLASS MoE GEMMs tile
    /// 128 rows; vLLM's and SGLang's Triton fused_moe picks 16-row blocks when few tokens reach each expert.
    /// </summary>
    public int ExpertTileRows { get; init; } = 16;

    /// <summary>
    /// On Blackwell (GPUs with FP4 tensor cores), the smallest token tile of the engine's MoE grouped GEMM when it picks
    /// the tile by the rows each expert gets; 0 keeps <see cref="ExpertTileRows"/> everywhere. TensorRT-LLM's NVFP4 MoE
    /// on B200 runs TRTLLM-gen kernels whose tile_tokens_dim is the next power of two above the step's tokens per expert
    /// (from 8), and its autotuner profiles those tactics per token count, up to <see cref="ExpertTileRows"/>. Hopper's
    /// per-tensor FP8 MoE keeps 128-row tiles: a tile that followed the rows there put the held Hopper figures far over
    /// (docs/calibration.md); per-tensor FP8 experts held whole behind attention DP take
    /// <see cref="HopperFp8ExpertTileMinRows"/> with a slower weight stream instead, and block-scaled FP8 experts
    /// (DeepSeek-R1) DeepGEMM's tiles (<see cref="BlockFp8SwapAbRows"/>).
    /// </summary>
    public int BlackwellExpertTileMinRows { get; init; }

    /// <summary>
    /// On Ampere (GPUs without FP8 tensor cores), the smallest token tile of the engine's MoE grouped GEMM for BF16/FP16
    /// experts when it picks the tile by the rows each expert gets; 0 keeps <see cref="ExpertTileRows"/>. TensorRT-LLM's
    /// CUTLASS MoE GEMM (moe_gemm, SM80) offers CTA tiles of 32, 64 and 128 token rows (cutlass_heuristic's
    /// get_candidate_tiles), and its MoE plugin profiles them per power-of-two token count (GemmPluginProfiler), so a
    /// decode step that gives each expert a few rows runs the 32-row tile, not a 128-row one.
    /// </summary>
    public int AmpereExpertTileMinRows { get; init; }

    /// <summary>
    /// On Hopper (FP8 tensor cores, no FP4), the smallest token tile of the engine's MoE grouped GEMM for BF16/FP16
    /// experts; 0 keeps <see cref="ExpertTileRows"/>. TensorRT-LLM's TMA warp-specialized MoE GEMM puts the tokens in
    /// the N dimension (it computes the transposed product) and offers CTA tiles of 128 weight rows × 16, 32, 64, 128 or
    /// 256 tokens (get_candidate_tiles_sm90, grouped), profiled per power-of-two token count as on Ampere.
    /// </summary>
    public int HopperExpertTileMinRows { get; init; }

    /// <summary>
    /// The smallest token tile of the engine's MoE GEMM for INT8 and INT4 experts where it runs them weight-only
    /// (W8A16/W4A16: BF16 activations, integer weights widened in registers), on every GPU; 0 where it does not, and
    /// they keep <see cref="ExpertTileRows"/>. TensorRT-LLM's MoE has no W8A8 method (SmoothQuant is for dense layers): it
    /// runs INT8 experts weight-only per channel (INT8WoqPerChannelFusedMoEMethod, on the SM80 kernels on every GPU) and
    /// INT4 ones through the same mixed-input grouped GEMMs (W4A16 in its TensorRT engines' MoE plugin; its PyTorch
    /// backend's W4A8 AWQ takes FP8 activations on Hopper, a rate not modelled here). The fpA_intB MoE GEMM's CTA tiles
    /// start at 16 token rows (CtaShape16x128x64, dispatched from SM75 on) and are profiled per token count: a decode step
    /// that gives each expert a row runs the 16-row tile, not a 128-row one. Those experts multiply as BF16 ones do
    /// (<see cref="ExpertGemmDtype"/>).
    /// </summary>
    public int WeightOnlyExpertTileMinRows { get; init; }

    /// <summary>
    /// With a tile that follows the rows (<see cref="BlackwellExpertTileMinRows"/>): the token tile at which the grouped
    /// GEMM runs at half the rate a large tile approaches. Each k-step of a tile loads a 128-row block of the expert's
    /// weights and the tile's t tokens and multiplies them, so with the loads bounding a small tile it runs at
    /// t ÷ (t + 128) of that rate; <see cref="StepTimeModel.GroupedGemmEfficiency"/> stays the efficiency at
    /// <see cref="ExpertTileRows"/>.
    /// </summary>
    public double ExpertTileHalfRows { get; init; }

    /// <summary>
    /// Per-tile cost of the engine's grouped MoE GEMM in elements of its reduction (K0 in <see cref="ExpertGemmShape"/>):
    /// the experts' efficiency follows each GEMM's K per rank as K ÷ (K + K0); 0 where the shape is not modelled.
    /// </summary>
    public double ExpertPrologueK { get; init; }

    /// <summary>
    /// On Hopper, the smallest token tile of the grouped GEMM for per-tensor FP8 experts held whole on each rank behind
    /// attention DP (<see cref="HopperFp8Experts"/>); 0 keeps <see cref="ExpertTileRows"/>. The SM90 grouped GEMM offers
    /// the same 128 × 16…256-token tiles to FP8 as to BF16 (cutlass_heuristic's get_candidate_tiles_sm90, GROUPED_GEMM),
    /// so a decode step that gives each expert a few rows runs a small tile there too.
    /// </summary>
    public int HopperFp8ExpertTileMinRows { get; init; }

    /// <summary>
    /// With <see cref="HopperFp8ExpertTileMinRows"/>: the share of the HBM peak at which those grouped GEMMs stream the
    /// experts' weights (below the GPU's HBM efficiency, which dense weight reads reach). Fitted: see
    /// <see cref="HopperFp8Experts"/>.
    /// </summary>
    public double HopperFp8ExpertWeightStream { get; init; }

    /// <summary>
    /// True when the routed experts' grouped-GEMM efficiency grows with their width per rank beyond the fitted experts'
    /// (<see cref="ExpertGemmWidth"/>): TensorRT-LLM's CUTLASS MoE GEMM for per-tensor FP8 experts on Hopper and for
    /// BF16/FP16 experts on Ampere and Hopper (<see cref="ExpertWidthRises"/>). False keeps the fitted efficiency at every width.
    /// </summary>
    public bool ExpertGemmFollowsWidth { get; init; }

    /// <summary>
    /// Efficiency of the routed experts' grouped GEMMs relative to <see cref="StepTimeModel.GroupedGemmEfficiency"/>
    /// (fitted on TensorRT-LLM's FP8/FP4 MoE runs) when the experts compute in BF16: BF16 weights, or FP8 weights on a
    /// GPU without FP8 tensor cores (W8A16).
    /// </summary>
    public double Bf16ExpertGemmScale { get; init; } = 1;

    /// <summary>
    /// True when attention data parallelism divides the step's token budget among the DP ranks, each rank's scheduler
    /// prefilling its own requests with its share, so with chunked prefill no chunk exceeds the budget ÷ DP ranks (SGLang:
    /// chunked_prefill_size //= dp_size in server_args._handle_data_parallelism; TensorRT-LLM: each rank's executor has
    /// its own max_num_tokens, the budget given here being all ranks' together); false when each rank keeps the whole
    /// budget or the engine has no attention DP.
    /// </summary>
    public bool AttentionDpSplitsChunk { get; init; }

    /// <summary>
    /// True when the engine's batch limits (<see cref="MaxNumSeqs"/>, <see cref="MaxNumBatchedTokens"/>) hold per
    /// attention-DP rank, so a replica left at its defaults takes TP times them (TensorRT-LLM: every rank's executor has
    /// its own max_batch_size and max_num_tokens); false when they are the replica's (SGLang divides its chunked-prefill
    /// size among the ranks).
    /// </summary>
    public bool AttentionDpLimitsPerRank { get; init; }

    /// <summary>How many times its default batch limits a replica at <paramref name="tensorParallel"/> takes: the ranks under attention DP where <see cref="AttentionDpLimitsPerRank"/>, else 1.</summary>
    public int DefaultLimitRanks(bool attentionDataParallel, int tensorParallel) =>
        AttentionDpLimitsPerRank && attentionDataParallel && tensorParallel > 1 ? tensorParallel : 1;

    /// <summary>
    /// Rows per expert from which block-scaled FP8 experts on Hopper (H100, H200) reach the grouped-GEMM efficiency
    /// fitted on TensorRT-LLM (<see cref="StepTimeModel.GroupedGemmEfficiency"/>); 0 where the engine's kernel holds it
    /// at any row count. vLLM and SGLang run these experts through their Triton fused_moe on Hopper: DeepGEMM's grouped
    /// GEMM is skipped for an expert width per rank of 512 or less (vLLM's _valid_deep_gemm), which covers DeepSeek-V3
    /// and Qwen3-235B at TP4-8. On Blackwell both pick FlashInfer/CUTLASS MoE kernels, so the rule stays off there, but
    /// where the engine's FlashInfer FP8 MoE does not take the model's router by default (<see cref="ReleaseDefaults.Fp32RouterTritonExperts"/>).
    /// </summary>
    public double HopperFp8ExpertFullRows { get; init; }

    /// <summary>
    /// How steeply that efficiency falls below <see cref="HopperFp8ExpertFullRows"/> rows per expert: the efficiency is
    /// the fitted one × (rows ÷ full rows)^exponent.
    /// </summary>
    public double HopperFp8ExpertRowsExponent { get; init; }

    /// <summary>
    /// Steps of at most this many tokens keep the fitted efficiency whatever their rows per expert: the Triton
    /// fused_moe's tuned configs pick small (16-row) M blocks for them, the decode regime they were tuned for.
    /// </summary>
    public double HopperFp8ExpertSmallStepTokens { get; init; }

    /// <summary>
    /// Rows per expert at which the routed experts' grouped GEMMs computing in BF16 close half the gap between their
    /// few-row efficiency and a dense GEMM's (0: no rise). Triton's fused_moe runs each expert's rows as tiles of one
    /// kernel: with a few rows per expert most of a tile is padding and the weights stream for little math, while a
    /// prefill step of thousands of tokens gives each expert hundreds of rows, a GEMM as dense as any other.
    /// TensorRT-LLM's CUTLASS grouped GEMM (moe_gemm) for FP16/BF16 experts takes vLLM's value (Mixtral-8x7B).
    /// </summary>
    public double Bf16ExpertHalfRows { get; init; }

    /// <summary>
    /// Rows per expert at which per-tensor FP8 experts split by TP alone on Hopper close half the gap between their
    /// grouped-GEMM efficiency and a dense GEMM's (0: no rise; <see cref="TpSplitFp8Experts"/>).
    /// </summary>
    public double TpSplitFp8ExpertHalfRows { get; init; }

    /// <summary>
    /// True when expert parallelism behind attention DP moves tokens by an all-gather and a reduce-scatter rather than
    /// an all-to-all: every rank gathers all ranks' tokens (NVFP4 checkpoints quantize them to FP4 first), runs its
    /// own experts on those routed to them and reduce-scatters the BF16 results back. TensorRT-LLM's fused MoE does
    /// this on an HGX node: its all-to-all (select_alltoall_method_type) needs multi-node NVLink (MNNVL) or DeepEP, and
    /// none applies there. The gather's bytes do not grow with top-k, the all-to-all's do.
    /// </summary>
    public bool ExpertParallelAllGather { get; init; }

    /// <summary>
    /// True when attention DP runs the MLPs that are not routed experts (dense layers' MLPs, shared experts)
    /// data-parallel too: every rank holds their whole weights and computes them for its own tokens, so those layers
    /// need no collective, and the weights are replicated (<see cref="AttentionDpMlp"/>). TensorRT-LLM's PyTorch models
    /// do this (Llama 4's dense MLP and shared expert take <c>overridden_tp_size=1</c> under attention DP; DeepSeek-V3's
    /// and GLM's <c>_compute_mlp_tp_size</c> and shared-expert TP size are 1: "the MLP also uses DP instead of TP").
    /// </summary>
    public bool AttentionDpReplicatesMlp { get; init; }

    /// <summary>
    /// Expected rows per expert below which the engine's grouped GEMM for block-scaled FP8 experts on Hopper swaps its
    /// operands, taking the tokens as a small N tile (<see cref="DeepGemmExpertTiles"/>); 0 where the engine does not
    /// run those experts through DeepGEMM's grouped GEMM. TensorRT-LLM: 32 on H100/H200 (64 on the 78-SM H20, which we
    /// do not model), its grouped_gemm_dispatch's m_per_expert_threshold.
    /// </summary>
    public int BlockFp8SwapAbRows { get; init; }

    /// <summary>
    /// Least GPU time, on Hopper, of one block-scaled FP8 linear layer (<see cref="BlockFp8Gemms"/>): its activation's
    /// per-token-group quantization and the GEMM, at a few rows whatever their weight read; 0 where the engine's kernels
    /// keep to the roofline. A step whose dense GEMMs would take less than this per GEMM pays the difference.
    /// </summary>
    public double HopperBlockFp8GemmSeconds { get; init; }

    /// <summary>
    /// True when the engine serves MXFP4 experts through Marlin (W4A16) on GPUs older than Hopper, where Triton's
    /// matmul_ogs does not run (vLLM: its MXFP4 backend picks Marlin below SM90). <see cref="EngineSpec.MoeBackend"/>
    /// asks for Marlin on Hopper too, as vLLM before 0.11.1 chose it there (triton_kernels was not installed with it).
    /// </summary>
    public bool Mxfp4MarlinBeforeHopper { get; init; }

    /// <summary>
    /// True when the engine feeds MXFP4 experts on Blackwell BF16 activations by default (<see cref="MoeBackend.FlashinferBf16"/>:
    /// vLLM, whose MXFP4 MoE oracle lists only BF16-activation backends and takes MXFP8 on request); false where it
    /// quantizes them to MXFP8 (SGLang's default precision, TensorRT-LLM's W4A8_MXFP4_MXFP8).
    /// </summary>
    public bool Mxfp4Bf16ActivationsOnBlackwell { get; init; }

    /// <summary>
    /// Rate of the dense linear layers, relative to the fitted GEMMs, where the checkpoint scales activations per token at
    /// run time (<see cref="Catalog.ModelSpec.PerTokenActivationScales"/>): the weight stream and the math alike, as the
    /// engine quantizes every GEMM's input in a kernel of its own and runs a scaled GEMM with row and column scales in its
    /// epilogue. 1 where not measured.
    /// </summary>
    public double PerTokenScaledGemmRate { get; init; } = 1;

    /// <summary>
    /// Attention efficiency, relative to the engine's, for models with attention sinks on GPUs older than Hopper: vLLM
    /// runs them through its Triton unified-attention backend there (platforms/cuda.py: sinks below SM90 pick
    /// TRITON_ATTN, FlashAttention 2 takes no sink), which prefills slower than FlashAttention 2. 1 = the engine's kernel.
    /// </summary>
    public double SinkAttentionScaleBeforeHopper { get; init; } = 1;

    /// <summary>GEMM efficiency relative to the GPU's (TensorRT-LLM-fitted) constant.</summary>
    public double GemmScale { get; init; } = 1;

    /// <summary>Attention efficiency relative to the GPU's constant.</summary>
    public double AttentionScale { get; init; } = 1;

    /// <summary>The CLI spelling: vllm, sglang or trtllm.</summary>
    public string Name => EngineProfiles.Name(Engine);

    /// <summary>
    /// The grouped-GEMM scale for experts of <paramref name="weights"/> on <paramref name="gpu"/>: <see cref="Bf16ExpertGemmScale"/>
    /// where they compute in BF16 (the GPU has no faster format for them), 1 where they compute in FP8/FP4, the formats
    /// the grouped-GEMM efficiency was fitted on.
    /// </summary>
    public double ExpertGemmScale(GpuSpec gpu, DType weights) => ExpertsComputeInBf16(gpu, weights) ? Bf16ExpertGemmScale : 1;

    /// <summary>
    /// The rows per expert at which experts of <paramref name="weights"/> reach half their rise to a dense GEMM's
    /// efficiency (<see cref="Bf16ExpertHalfRows"/>): BF16 weights only. Weight-only FP8 on A100 (W8A16) runs vLLM's
    /// Marlin MoE kernel, which dequantizes in its inner loop, and FP8/FP4 experts keep the fitted grouped-GEMM
    /// efficiency (Qwen3-235B FP8 on 4 × H100 at 1,024 rows per expert is within 8% with it); 0 when they do not rise.
    /// TensorRT-LLM's per-tensor FP8 experts split by TP alone take <see cref="TpSplitFp8ExpertHalfRows"/> instead (<see cref="TpSplitFp8Experts"/>).
    /// </summary>
    public double ExpertHalfRows(DType weights) => weights == DType.Bf16 ? Bf16ExpertHalfRows : 0;

    /// <summary>
    /// The smallest token tile of the engine's MoE grouped GEMM for experts of <paramref name="weights"/> on
    /// <paramref name="gpu"/> when it picks the tile by the rows each expert gets, or 0 where it keeps
    /// <see cref="ExpertTileRows"/>: <see cref="BlackwellExpertTileMinRows"/> on Blackwell, and BF16/FP16 experts'
    /// <see cref="HopperExpertTileMinRows"/> on Hopper and <see cref="AmpereExpertTileMinRows"/> on Ampere. FP8 experts
    /// on Hopper keep the fixed tile (block-scaled ones under TensorRT-LLM take <see cref="DeepGemmExpertTiles"/>'): the
    /// grouped-GEMM efficiency was fitted on per-tensor ones with it (Qwen3-235B), and a tile
    /// that follows their rows takes those fitted rows out of ±15% (docs/calibration.md, Known misses, Mixtral). MXFP4
    /// experts take their own kernels' tiles (<see cref="Mxfp4MoeKernels"/>), integer experts run weight-only
    /// <see cref="WeightOnlyExpertTileMinRows"/>.
    /// </summary>
    public int ExpertTileMinRows(GpuSpec gpu, DType weights) =>
        BlockScaledBlackwellExperts(gpu, weights) ? BlackwellExpertTileMinRows
        : WeightOnlyIntegerExperts(weights) ? WeightOnlyExpertTileMinRows
        : weights != DType.Bf16 ? 0
        : gpu.Fp8Flops is not null ? HopperExpertTileMinRows : AmpereExpertTileMinRows;

    /// <summary>
    /// Quantized experts on Blackwell: the formats whose MoE runs block-scaled tensor-core kernels there (TensorRT-LLM-gen's
    /// or CUTLASS's SM100 block-scaled grouped GEMM), with the few-row tile loss fitted on them. BF16/FP16 experts on
    /// Blackwell run the same unscaled grouped GEMM as on Hopper (CUTLASS's moe_gemm) and take Hopper's tiles.
    /// </summary>
    public static bool BlockScaledBlackwellExperts(GpuSpec gpu, DType weights) =>
        gpu.Fp4Flops is not null && weights is DType.Fp8 or DType.Fp4 or DType.Mxfp4;

    /// <summary>True where the engine runs <paramref name="weights"/>' experts weight-only (<see cref="WeightOnlyExpertTileMinRows"/>).</summary>
    public bool WeightOnlyIntegerExperts(DType weights) => WeightOnlyExpertTileMinRows > 0 && weights is DType.Int8 or DType.Int4;

    /// <summary>
    /// The format whose grouped GEMM the experts run: their weights', but BF16's for integer experts the engine runs
    /// weight-only (<see cref="WeightOnlyIntegerExperts"/>, INT8 ones included): the same CUTLASS MoE GEMM templates with
    /// the weights widened in registers, so BF16's rate, rise with rows and width gain. Their bytes stay their own, and
    /// their tiles <see cref="WeightOnlyExpertTileMinRows"/>.
    /// </summary>
    public DType ExpertGemmDtype(DType weights) => WeightOnlyIntegerExperts(weights) ? DType.Bf16 : weights;

    /// <summary>
    /// True where the experts' grouped-GEMM efficiency follows their width per rank (<see cref="ExpertGemmFollowsWidth"/>):
    /// the CUTLASS MoE GEMM that <see cref="StepTimeModel.GroupedGemmEfficiency"/> was fitted on, per-tensor FP8 weights on
    /// a GPU with FP8 but not FP4 tensor cores, or BF16/FP16 weights before Blackwell (the same grouped GEMM without scales:
    /// moe_gemm's SM80 kernels and its SM90 TMA warp-specialized ones, one problem per expert in both; they also rise with
    /// rows, <see cref="ExpertHalfRows"/>, the two together at most a dense GEMM's rate). Block-scaled FP8 runs a block-scale
    /// GEMM runner of its own, and Blackwell its TRTLLM-gen kernels.
    /// </summary>
    public bool ExpertWidthRises(GpuSpec gpu, DType weights, ModelSpec model) =>
        ExpertGemmFollowsWidth && (weights == DType.Bf16 || HopperFp8Experts.PerTensorOnHopper(gpu, weights, model));

    // BF16 weights, or FP8 weights on a GPU without FP8 tensor cores (W8A16): no faster format for the experts' math.
    private static bool ExpertsComputeInBf16(GpuSpec gpu, DType weights) => gpu.PeakFlops(weights) <= gpu.Bf16Flops;

    /// <summary>The KV format in effect for <paramref name="model"/> served with <paramref name="weights"/> when none is asked for.</summary>
    public DType DefaultKvDtype(ModelSpec model, DType weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        // An MXFP4 checkpoint (gpt-oss) quantizes only its experts and declares no KV format: "auto" keeps BF16, as do
        // the integer ones (GPTQ, AWQ, llm-compressor's w8a8 and w4a16).
        // DeepSeek-V4's cache is FP8 in every engine (vLLM asserts its fp8_ds_mla layout; SGLang's pool is built for it).
        if (model.Compressed is not null) return DType.Fp8;
        if (KvFollowsWeights && weights is DType.Fp8 or DType.Fp4) return DType.Fp8;
        return KvFollowsCheckpoint && model.CheckpointKvDtype is { } declared && model.CheckpointDtype == weights ? declared : DType.Bf16;
    }

    /// <summary>
    /// False when the engine attends over whole contexts in a model whose every layer has the same sliding window
    /// (Mistral 7B v0.1), unless told a window: TensorRT-LLM takes its attention window from
    /// <c>max_attention_window_size</c> / <c>kv_cache_config.max_attention_window</c>, not from config.json's
    /// <c>sliding_window</c> (examples/llama/README.md, "Mistral v0.1"). Models with per-layer windows (gpt-oss, Gemma 3)
    /// pass them to their attention layers and keep them everywhere.
    /// </summary>
    public bool AppliesUniformSlidingWindow { get; init; } = true;

    /// <summary>Default sequences per step on <paramref name="gpu"/>.</summary>
    public int DefaultMaxNumSeqs(GpuSpec gpu) => IsLarge(gpu) ? MaxNumSeqs : SmallGpuMaxNumSeqs;

    /// <summary>
    /// A replica's default running sequences on <paramref name="gpu"/>: <paramref name="limitRanks"/> (<see cref="DefaultLimitRanks"/>)
    /// times <see cref="DefaultMaxNumSeqs"/>, or, with <paramref name="speculative"/> decoding on, the engine's own cap
    /// for it (<see cref="SpeculativeMaxNumSeqs"/>), which is the replica's whatever its ranks.
    /// </summary>
    public int ReplicaMaxNumSeqs(GpuSpec gpu, int limitRanks, bool speculative) =>
        speculative && SpeculativeMaxNumSeqs is { } capped ? capped : limitRanks * DefaultMaxNumSeqs(gpu);

    /// <summary>Default tokens per step on <paramref name="gpu"/>.</summary>
    public int DefaultMaxNumBatchedTokens(GpuSpec gpu) =>
        HugeGpuMaxNumBatchedTokens is { } huge && gpu.HbmBytes >= 160d * (1 << 30) ? huge
        : Under60GiB is { } small && gpu.HbmBytes < 60d * (1 << 30) ? small.MaxNumBatchedTokens
        : IsLarge(gpu) ? MaxNumBatchedTokens : SmallGpuMaxNumBatchedTokens;

    /// <summary>Largest pure-decode batch replayed as a CUDA graph on <paramref name="gpu"/> with <paramref name="tensorParallel"/> ranks.</summary>
    public int CudaGraphMaxBatchFor(GpuSpec gpu, int tensorParallel) =>
        HugeGpuCudaGraphMaxBatch is { } huge && gpu.HbmBytes >= 160d * (1 << 30) ? huge
        : Under60GiB is { } small && gpu.HbmBytes < 60d * (1 << 30) ? (tensorParallel >= 4 ? small.CudaGraphMaxBatchFromTp4 : small.CudaGraphMaxBatch)
        : CudaGraphMaxBatchFromTp4 is { } wide && tensorParallel >= 4 ? wide
        : CudaGraphMaxBatch;

    // vLLM picks its larger defaults on GPUs with at least 70 GiB that are not A100s; the others follow suit here.
    private static bool IsLarge(GpuSpec gpu) => gpu.HbmBytes >= 70d * (1 << 30) && !gpu.Id.StartsWith("a100", StringComparison.OrdinalIgnoreCase);
}
