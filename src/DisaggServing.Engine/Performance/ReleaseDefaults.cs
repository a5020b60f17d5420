using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The settings whose default an engine changed between releases, as a release ran them unless told otherwise: the
/// defaults <c>--engine-version</c> gives, each still overridden by its own flag. Without a release, the engine as it
/// runs today (<see cref="Current"/>); NIM without one, the TensorRT engines its published benchmarks ran (<see cref="ForNim"/>).
/// </summary>
/// <param name="VllmV0">vLLM's V0 engine (<see cref="EngineSpec.VllmV0"/>): the default before 0.8.</param>
/// <param name="SynchronousScheduling">Scheduling each step after the last one's output (<see cref="EngineSpec.SynchronousScheduling"/>): vLLM until async scheduling became the default in 0.14; SGLang for linear-attention hybrids served from its radix cache in 0.5.4-0.5.13 (<see cref="SglangHybridsSynchronous"/>) and for EAGLE and MTP drafting before 0.5.13 (<see cref="SglangSpeculationSynchronous"/>).</param>
/// <param name="MoeBackend">vLLM's MXFP4 experts on Hopper through Marlin (<see cref="Performance.MoeBackend.Marlin"/>) before 0.11.1, which moved them to Triton's matmul_ogs; null for the engine's current choice.</param>
/// <param name="TensorRtEngine">TensorRT-LLM running TensorRT engines built by trtllm-build (<see cref="EngineSpec.TensorRtEngine"/>): every release before 1.0 served and benchmarked them; 1.0 made the PyTorch backend the default, which runs no GPT-J or Falcon.</param>
/// <param name="ChunkedAttention">TensorRT-LLM honouring Llama 4's chunked local attention (<see cref="EngineSpec.ChunkedAttention"/>): its chunked-attention kernels came in 0.21.</param>
/// <param name="MultiBlockMode">TensorRT engines splitting a long context's decode attention across thread blocks (false: <see cref="EngineSpec.UnsplitDecodeAttention"/>): off in the engines NIM 1.0 shipped (below).</param>
/// <param name="MaxNumTokens">A served engine's prompt tokens per step where the release built its own (<see cref="OlderNimMaxNumTokens"/>); null for the engine profile's default.</param>
/// <param name="Xqa">TensorRT engines decoding GQA and MQA models with the XQA kernels (<see cref="EngineSpec.Xqa"/>): from 0.10 (trtllm-build's <c>--enable_xqa</c>, on unless disabled; the release is our reading: 0.9's performance page is the last to call XQA experimental, and 0.12's GQA rows decode at XQA's rate); 0.9's XQA was experimental, off unless <c>TRTLLM_ENABLE_XQA=1</c> (its performance page), and the masked MHA kernel decoded every model.</param>
/// <param name="SplitQkNorm">A model whose q/k RMSNorm spans all heads (<see cref="ModelSpec.QkNormAcrossHeads"/>) normalizing q and k apart at TP &gt; 1, each norm summing its squares, all-reducing them and scaling (three kernels, one all-reduce) where later releases do both in one: vLLM before 0.14, SGLang before 0.5.7.</param>
/// <param name="Fp32RouterTritonExperts">The engine running the block-FP8 experts of a model whose router emits FP32 logits (<see cref="MoeSpec.Fp32RouterLogits"/>: MiniMax-M2) on Blackwell through Triton's fused_moe, as on Hopper (<see cref="EngineProfile.HopperFp8ExpertFullRows"/>): vLLM before 0.18, whose modular TensorRT-LLM-gen FP8 MoE (PR 36307, merged the week of 13 March 2026) first took that router; SGLang in every release (<see cref="SglangTritonExperts"/>).</param>
/// <param name="StateSlotsPerRequest">Slots of a separate recurrent-state pool (<see cref="EngineProfile.StatePoolRatio"/>) each running request of a hybrid model holds, so the pool's slots over this bound the running requests (<see cref="SglangStateSlotsPerRequest"/>); 1 marks a pool sized by the running-request limit instead of by memory.</param>
/// <param name="BucketedMemoryFraction">SGLang deriving an unset <c>--mem-fraction-static</c> from a reserve by the GPU's memory class and its ranks (<see cref="SglangMemoryFraction"/>): before 0.5.3, which reserves for the step's activations and CUDA graphs instead (sgl-project/sglang#10975, #11076).</param>
/// <param name="DefaultAllReduceFusion">The engine fusing its TP all-reduces with the norms after them by default where its profile says so (<see cref="EngineProfile.DefaultAllReduceFusion"/>): vLLM from 0.16, and from 0.24 for models whose norms are Gemma's (<see cref="ModelSpec.OffsetNorm"/>).</param>
public readonly record struct ReleaseDefaults(bool VllmV0, bool SynchronousScheduling, MoeBackend? MoeBackend, bool TensorRtEngine, bool ChunkedAttention,
    bool MultiBlockMode = true, int? MaxNumTokens = null, bool DefaultAllReduceFusion = true, bool Xqa = true, bool SplitQkNorm = false, bool Fp32RouterTritonExperts = false,
    int StateSlotsPerRequest = ReleaseDefaults.ExtraBufferStateSlots, bool BucketedMemoryFraction = false)
{
    /// <summary>Every engine as it runs today.</summary>
    public static ReleaseDefaults Current { get; } = new(false, false, null, false, true);

    /// <summary>
    /// The max_num_tokens of the TensorRT engines NIM 1.0 shipped: prompt tokens one step may take. NIM 1.0 ran
    /// TensorRT-LLM 0.10, whose trtllm-build had no default for it (0.11 made it 8,192, its release notes), an unset value
    /// being max_batch_size × max_input_len, and the best-practices guide of 0.9 advising 5-20% of that. NIM does not
    /// publish its engines' value: 32,768 is fitted on the DLI cluster-sizing dataset's loaded TTFTs of Llama-3-70B's FP8
    /// engines on H100 (16k, 24k, 32k, 48k, 64k and 128k swept over every TTFT; 32k best in six of its seven model × GPU ×
    /// precision groups): a closed loop's clients whose requests end together send again together, and the step that
    /// takes up to 32,768 of their prompt tokens is what their TTFT waits on.
    /// </summary>
    public const int OlderNimMaxNumTokens = 32768;

    /// <summary>
    /// The defaults of NIM for LLMs' TensorRT-LLM profiles in <paramref name="release"/> (NIM's own release). Until 1.15
    /// its optimized profiles were TensorRT engines NVIDIA built with trtllm-build; NIM 1.0 shipped TensorRT-LLM 0.10's:
    /// multi-block mode was a trtllm-build flag, off unless given (0.12 moved it to the runtime, 0.13 turned it on by
    /// default), and max_num_tokens had no default (<see cref="OlderNimMaxNumTokens"/>); from 1.1 (Llama 3.1, which needs a
    /// later TensorRT-LLM) the engines are modelled at today's defaults. NIM 1.15 made TensorRT-LLM's PyTorch backend the
    /// default and moved the engines behind a legacy switch (its release notes; the fine-tuned-model page: "The default
    /// PyTorch TRT-LLM backend", the engines behind NIM_USE_TRTLLM_LEGACY_BACKEND=1): from 1.15 NIM runs as TensorRT-LLM's
    /// PyTorch backend does. Without a release, the engines of 1.1-1.14, which NIM's own benchmark pages ran (but for a
    /// model NIM served only in 1.0, <see cref="NimServing"/>): unlike an open-source engine, a NIM is always deployed by
    /// its container tag, which states its release (<c>nvcr.io/nim/…:1.15.0</c>, <see cref="NimRelease"/>).
    /// </summary>
    public static ReleaseDefaults ForNim(EngineRelease? release) => release switch
    {
        { } r when r.Before(1, 1) => Current with { TensorRtEngine = true, MultiBlockMode = false, MaxNumTokens = OlderNimMaxNumTokens },
        { } r when !r.Before(NimPyTorchDefault.Major, NimPyTorchDefault.Minor) => Current,
        _ => Current with { TensorRtEngine = true },
    };

    /// <summary>The NIM release whose TensorRT-LLM profiles run its PyTorch backend by default (<see cref="ForNim"/>).</summary>
    public static readonly (int Major, int Minor) NimPyTorchDefault = (1, 15);

    /// <summary>
    /// The NIM release that served <paramref name="model"/> where NIM served it in one line of releases only, for
    /// <c>--engine nim</c> without a release or a container tag; null otherwise. Llama 3's own NIMs
    /// (<c>meta/llama3-8b-instruct</c>, <c>meta/llama3-70b-instruct</c>) came with NIM 1.0 and were succeeded by Llama 3.1's
    /// from 1.1 (which needed a later TensorRT-LLM): their engines are 1.0's, and their public figures (the DLI
    /// cluster-sizing dataset, from a course deploying <c>nvcr.io/nim/meta/llama3-8b-instruct:1.0.3</c>) fit 1.0.3's, not
    /// the later engines (docs/calibration.md, NIM).
    /// </summary>
    public static EngineRelease? NimServing(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return NimOneZeroModels.Contains(model.Id) ? NimOneZeroThree : null;
    }

    private static readonly HashSet<string> NimOneZeroModels = new(StringComparer.OrdinalIgnoreCase)
    {
        "meta-llama/Meta-Llama-3-8B-Instruct", "meta-llama/Meta-Llama-3-70B-Instruct",
    };

    private static readonly EngineRelease NimOneZeroThree = new(1, 0, 3);

    /// <summary>
    /// The NIM release a container reference's tag states (<c>nvcr.io/nim/meta/llama3-8b-instruct:1.0.3</c> → 1.0.3), or
    /// null for another name or a tag that is not a release (<c>latest</c>).
    /// </summary>
    public static EngineRelease? NimRelease(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Trim();
        var tag = name.LastIndexOf(':');
        return name.StartsWith("nvcr.io/nim/", StringComparison.OrdinalIgnoreCase) && tag > 0 ? EngineRelease.TryParse(name[(tag + 1)..]) : null;
    }

    /// <summary>
    /// True when SGLang <paramref name="release"/> serves <paramref name="model"/>, a hybrid with linear-attention layers,
    /// without its overlap scheduler. With the radix cache on (its default) SGLang caches a hybrid's recurrent state
    /// through MambaRadixCache, whose default strategy (<c>no_buffer</c>, until June 2026 the only one <c>auto</c> chose)
    /// turns the overlap schedule off "for compatibility reasons" (SGLang's Qwen3-Next docs; server_args: no_buffer with
    /// the radix cache sets <c>disable_overlap_schedule</c>). The cache came for Gated DeltaNet hybrids with
    /// sgl-project/sglang#11214 (merged after 0.5.3's release in October 2025, so from 0.5.4) and for Mamba2 hybrids with
    /// #13584 (November 2025, modelled from 0.5.6); #28151 (merged 19 June 2026, after 0.5.13) made <c>auto</c> choose the
    /// <c>extra_buffer</c> strategy, which keeps the overlap, for the architectures that support it (Qwen3-Next's and
    /// Qwen3.5's among them), so from 0.5.14 hybrids are modelled scheduling as any model does. A run with
    /// <c>--disable-radix-cache</c> keeps the overlap in every release: <c>--async-scheduling on</c>.
    /// </summary>
    public static bool SglangHybridsSynchronous(EngineRelease release, ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Linear is { } linear && !release.Before(0, 5, linear.IsMamba2 ? 6 : 4) && release.Before(0, 5, 14);
    }

    /// <summary>
    /// SGLang's state slots a running request of a hybrid holds with the radix cache's <c>extra_buffer</c> strategy and
    /// the overlap scheduler: MAMBA_CACHE_SIZE_MAX_RUNNING_REQUESTS_RATIO (3) plus MAMBA_CACHE_V2_ADDITIONAL_RATIO_OVERLAP (2).
    /// </summary>
    public const int ExtraBufferStateSlots = 5;

    /// <summary>
    /// The state-pool slots (<see cref="StateSlotsPerRequest"/>) a running request of <paramref name="model"/> holds in
    /// SGLang <paramref name="release"/>: ModelRunner.init_memory_pool caps max_num_reqs at max_mamba_cache_size ÷ this.
    /// Before the radix cache served hybrids (<see cref="SglangHybridsSynchronous"/>'s releases) it ran without one and
    /// sized the pool by the running-request limit (max_running_requests, 512 when unset), a slot each; with the cache's
    /// <c>no_buffer</c> strategy (0.5.4-0.5.13 for Gated DeltaNet, from 0.5.6 for Mamba2) 3 slots; with
    /// <c>extra_buffer</c> and the overlap (from 0.5.14) 5.
    /// </summary>
    public static int SglangStateSlotsPerRequest(EngineRelease release, ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Linear is not { } linear) return ExtraBufferStateSlots; // no states: the default stands
        if (release.Before(0, 5, linear.IsMamba2 ? 6 : 4)) return 1;
        return release.Before(0, 5, 14) ? 3 : ExtraBufferStateSlots;
    }

    /// <summary>
    /// Whether SGLang runs <paramref name="model"/>'s block-FP8 experts through Triton's fused_moe on Blackwell in every
    /// release: MiniMax-M2's (<see cref="Catalog.MoeSpec.Fp32RouterLogits"/>), which FlashInfer's TensorRT-LLM routed FP8
    /// MoE took only behind <c>--moe-runner-backend flashinfer_trtllm_routed</c> (sgl-project/sglang#20394, March 2026:
    /// "9.04% speedup over default (triton) moe" on GB200).
    /// </summary>
    public static bool SglangTritonExperts(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Moe is { Fp32RouterLogits: true };
    }

    /// <summary>The SGLang release from which EAGLE and MTP drafting keep the overlap scheduler by default (<see cref="SglangSpeculationSynchronous"/>).</summary>
    public static readonly EngineRelease SglangSpecV2Default = new(0, 5, 13);

    /// <summary>
    /// True when SGLang <paramref name="release"/> drafting with <paramref name="speculative"/> schedules each step after
    /// the last one's output. Its server turns the overlap scheduler off for EAGLE, EAGLE3 and NEXTN (MTP) drafting
    /// ("Overlap scheduler is disabled because of using eagle speculative decoding", <c>server_args</c> of 0.4-0.5.12)
    /// unless <c>SGLANG_ENABLE_SPEC_V2=1</c> (off by default until 0.5.13, June 2026, which made Spec V2, the drafting
    /// worker that keeps the overlap, the default; <c>--async-scheduling on</c> models that variable before it). Ngram
    /// drafting turns the overlap off in every release (<see cref="EngineSpec.SchedulesSynchronously"/>).
    /// </summary>
    public static bool SglangSpeculationSynchronous(EngineRelease release, SpeculativeMethod? speculative) =>
        speculative is SpeculativeMethod.Eagle or SpeculativeMethod.Eagle3 or SpeculativeMethod.Mtp
        && release.CompareTo(SglangSpecV2Default) < 0;

    /// <summary>
    /// The defaults of <paramref name="engine"/> in <paramref name="release"/> for <paramref name="model"/> in
    /// <paramref name="weights"/> on <paramref name="gpu"/>, drafting with <paramref name="speculative"/> if any;
    /// <see cref="Current"/> where <paramref name="release"/> is null. <paramref name="nim"/>: the engine is NIM's
    /// TensorRT-LLM and the release NIM's (<see cref="ForNim"/>).
    /// </summary>
    public static ReleaseDefaults For(ServingEngine engine, EngineRelease? release, GpuSpec gpu, ModelSpec model, DType weights, bool nim = false, SpeculativeMethod? speculative = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(model);
        if (nim) return ForNim(release);
        // TensorRT-LLM's PyTorch backend lists no GPT-J or Falcon architecture (the catalog's plain GELU MLP models): in
        // every release they run as TensorRT engines built by trtllm-build. Nemotron-H's squared-ReLU MLPs are not gated
        // either, but that hybrid is a PyTorch-backend model (NemotronHForCausalLM), served as such from 1.0.
        var tensorRtOnly = engine == ServingEngine.Trtllm && !model.GatedMlp && model.Linear is null;
        // Without a release vLLM runs as the profile models it, the 0.18/0.19 line our manifests deploy: before its fusion
        // pass matched Gemma-style norms (below).
        if (release is not { } r)
            return tensorRtOnly ? Current with { TensorRtEngine = true }
                : engine == ServingEngine.Vllm && model.OffsetNorm ? Current with { DefaultAllReduceFusion = false }
                : engine == ServingEngine.Sglang ? Current with { Fp32RouterTritonExperts = SglangTritonExperts(model) }
                : Current;
        var hopper = gpu.Fp8Flops is not null && gpu.Fp4Flops is null;
        return engine switch
        {
            ServingEngine.Vllm => Current with
            {
                VllmV0 = r.Before(0, 8),
                SynchronousScheduling = r.Before(0, 14),
                MoeBackend = weights == DType.Mxfp4 && hopper && r.Before(0, 11, 1) ? Performance.MoeBackend.Marlin : null,
                // -O2 fuses TP all-reduces with the RMSNorm after them from 0.16 (PR 34299); a Gemma-style norm's pattern came
                // with PR 42646, reviewed into June 2026, modelled from 0.24.
                DefaultAllReduceFusion = model.OffsetNorm ? !r.Before(0, 24) : !r.Before(0, 16),
                // Until PR 31493 (merged the week of 2 January 2026, beside async scheduling's default) MiniMaxText01RMSNormTP
                // ran once for q and once for k, each with its own all-reduce; since, one all-reduce of both sums.
                SplitQkNorm = model.QkNormAcrossHeads && r.Before(0, 14),
                Fp32RouterTritonExperts = model.Moe is { Fp32RouterLogits: true } && r.Before(0, 18),
            },
            ServingEngine.Trtllm => Current with
            {
                TensorRtEngine = r.Before(1, 0) || tensorRtOnly,
                // The PyTorch backend's overlap scheduler is on by default from 0.20 (TensorRT-LLM PR 4174).
                SynchronousScheduling = r.Before(0, 20),
                ChunkedAttention = !(model.Window is { Chunked: true } && r.Before(0, 21)),
                Xqa = !r.Before(0, 10),
            },
            ServingEngine.Sglang => Current with
            {
                SynchronousScheduling = SglangHybridsSynchronous(r, model) || SglangSpeculationSynchronous(r, speculative),
                StateSlotsPerRequest = SglangStateSlotsPerRequest(r, model),
                // PR 14416 (merged 30 December 2025, after 0.5.6's posts): "Each RMSNormTP contains 3 kernels: summation,
                // all_reduce, and the remaining norm operation", q's and k's six launches made three.
                SplitQkNorm = model.QkNormAcrossHeads && r.Before(0, 5, 7),
                BucketedMemoryFraction = r.Before(0, 5, 3),
                Fp32RouterTritonExperts = SglangTritonExperts(model),
            },
            _ => Current,
        };
    }
}
