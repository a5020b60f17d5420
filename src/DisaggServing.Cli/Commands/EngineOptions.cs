using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// The engine options both verbs share (model, GPU, engine profile, dtypes, PP, MoE parallelism and the scheduler
/// limits), with the chosen engine's defaults. Each verb makes its own instance: a System.CommandLine option
/// belongs to one command.
/// </summary>
internal sealed class EngineOptions
{
    public Option<ModelSpec> Model { get; } = CliOptions.Required(CliOptions.Parsed("--model", "Model, by Hugging Face id or alias, case-insensitive (e.g. meta-llama/Llama-3.1-8B-Instruct, nvidia/Llama-3.3-70B-Instruct-FP8; 'disagg models' lists them), or one the catalog lacks by the path of its Hugging Face config.json or checkpoint directory.",
        "ID|PATH", id => ModelCatalog.Get(id, "--model")));

    public Option<GpuSpec> Gpu { get; } = CliOptions.Required(CliOptions.Parsed("--gpu", $"GPU: {string.Join(", ", GpuCatalog.All.Keys.Order(StringComparer.Ordinal))} (aliases such as h100, a100 or nvidia-smi's names too; see 'disagg models').",
        "ID", id => GpuCatalog.Get(id, "--gpu")));

    public EngineProfileOption Profile { get; } = new();

    public Option<string?> Dtype { get; } = CliOptions.FormatOption("--dtype", "Weight format (fp4: NVFP4, Blackwell; mxfp4: MoE experts in MXFP4, the rest BF16, as gpt-oss ships; int8: INT8 W8A8; int4: INT4 W4A16, as GPTQ, AWQ and Red Hat's quantized.w4a16 ship) [default: the checkpoint's: fp8, fp4, mxfp4, int8 or int4 for a quantized one, else bf16]; a quantized checkpoint asked in another format is estimated as its release in that format, or its BF16 weights quantized on load (stderr says which).", "auto|fp8|fp4|mxfp4|int8|int4|bf16");

    public Option<string?> KvCacheDtype { get; } = CliOptions.FormatOption("--kv-cache-dtype",
        "KV-cache format [default: the engine's: trtllm fp8 with fp8/fp4 weights (bf16 with gpt-oss's mxfp4, which declares none); vllm and sglang the checkpoint's declared one (fp8 for nvidia/ ModelOpt ones), else bf16].",
        "auto|fp8|bf16");

    public Option<int> PipelineParallel { get; } = CliOptions.PositiveInt("--pp", "Pipeline-parallel size (stages).", 1);

    public Option<int> ExpertParallel { get; } = CliOptions.PositiveInt("--ep", "Expert-parallel size (MoE; divides --tp): experts spread over the ranks, tokens sent all-to-all.", 1);

    public Option<bool> AttentionDataParallel { get; } = CliOptions.Flag("--attention-dp",
        "Attention data parallelism (MoE/MLA): each TP rank runs attention for its own sequences, holding their whole KV.");

    public Option<int?> AttentionDpBalance { get; } = CliOptions.OptionalPositiveInt("--attention-dp-balance",
        "TensorRT-LLM's attention-DP balance (attention_dp_config enable_balance, timeout_iters STEPS): new prompts wait until every rank has one, at most STEPS steps [default: off].");

    public Option<int?> MaxNumSeqs { get; } = CliOptions.OptionalPositiveInt("--max-num-seqs", "Sequences per step, all attention-DP ranks together [default: the engine's (trtllm: per rank, so TP times it under --attention-dp; sglang with a --speculative-method: 48, as its server resets them); offline trtllm: trtllm-bench's, sized from the lengths].");

    public Option<int?> MaxNumBatchedTokens { get; } = CliOptions.OptionalPositiveInt("--max-num-batched-tokens", "Tokens per step, all attention-DP ranks together [default: the engine's (trtllm: per rank, so TP times it under --attention-dp); offline trtllm: trtllm-bench's, sized from the lengths].");

    public Option<int?> CudaGraphMax { get; } = CliOptions.OptionalPositiveInt("--cuda-graph-max",
        "The largest step replayed from a CUDA graph; a larger one launches its kernels from the host: vllm, the tokens of a step, mixed ones too (--max-cudagraph-capture-size, or the largest of --cuda-graph-sizes); sglang and trtllm, the sequences of a decode step (--cuda-graph-max-bs, cuda_graph_config.max_batch_size) [default: the engine's: vllm 512, sglang 256 (512 from TP4 and on B200; 32, 160 from TP4, on A100-40GB), trtllm 8192].");

    // A string option: System.CommandLine gives a bool option no "on|off" value.
    public Option<string?> ChunkedPrefill { get; } = CliOptions.Parsed<string?>("--chunked-prefill",
        "Split prompts across steps (off: a prompt waits for a step it fits in whole, as NIM's TensorRT-LLM runs) [default: the engine's: on, but off for a served trtllm].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--chunked-prefill '{text}' is not known; use on or off."),
        });

    public Option<string?> MixedChunk { get; } = CliOptions.Parsed<string?>("--mixed-chunk",
        "Mix prefill chunks into decode steps (off: prefill runs as its own batch, first, and decodes pause, as SGLang runs without --enable-mixed-chunk) [default: on, for every profile but SGLang behind attention DP; see docs/calibration.md, Known misses].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--mixed-chunk '{text}' is not known; use on or off."),
        });

    public Option<string?> MoeBackend { get; } = CliOptions.Parsed<string?>("--moe-backend",
        "MoE kernel for MXFP4 experts where the engine runs another by default (marlin: vLLM's Marlin W4A16 MoE on Hopper or A100, as vLLM before 0.11.1 ran gpt-oss on Hopper, VLLM_MXFP4_USE_MARLIN=1; cutlass: TensorRT-LLM's CUTLASS MoE for MXFP4 or NVFP4 (--dtype fp4) experts on Blackwell, moe_config.backend: CUTLASS; flashinfer-bf16 / flashinfer-mxfp8: vLLM's or SGLang's FlashInfer TensorRT-LLM-gen MoE on Blackwell with BF16 or MXFP8 activations, vLLM's VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8=1 being flashinfer-mxfp8) [default: auto, the engine's choice: Triton's matmul_ogs on Hopper, Marlin on A100 under vLLM, and on Hopper too with an --engine-version before 0.11.1; on Blackwell TensorRT-LLM-gen's MoE, with BF16 activations under vLLM and MXFP8 under SGLang and TensorRT-LLM].",
        "auto|marlin|cutlass|flashinfer-bf16|flashinfer-mxfp8", text => DisaggServing.Engine.Performance.MoeBackends.Parse(text) is { } backend
            ? DisaggServing.Engine.Performance.MoeBackends.Name(backend) : "auto");

    public Option<string?> AllReduceFusion { get; } = CliOptions.Parsed<string?>("--allreduce-fusion",
        "Fuse each TP all-reduce with the residual add and RMSNorm after it (Hopper/Blackwell, TP > 1, no attention DP): on fuses every step, as vLLM runs with its fusion pass's size limits raised or SGLang with --enable-flashinfer-allreduce-fusion; off runs them apart, as vLLM before 0.16 or with fuse_allreduce_rms false [default: the engine's choice: vLLM from 0.16 fuses steps up to its size limits (one pipeline stage; Gemma-style norms from 0.24), SGLang fuses gpt-oss's].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--allreduce-fusion '{text}' is not known; use on or off."),
        });

    public Option<string?> Xqa { get; } = CliOptions.Parsed<string?>("--xqa",
        "TensorRT-LLM's TensorRT engines (--trtllm-backend tensorrt; the PyTorch backend always runs XQA): on decodes a GQA or MQA model with the XQA kernels (each KV head handled once for its query heads); off with the masked MHA kernel, one thread block a query head, as TensorRT-LLM 0.9 ran them unless TRTLLM_ENABLE_XQA=1 (with an FP8 KV cache on Hopper each block converts its KV head's cache again) [default: on; off with an --engine-version before 0.10, whose XQA serves only heads of 128 in groups of eight a KV head: any other shape decodes through the masked MHA kernel].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--xqa '{text}' is not known; use on or off."),
        });

    public Option<string?> TrtllmBackend { get; } = CliOptions.Parsed<string?>("--trtllm-backend",
        "TensorRT-LLM only: pytorch runs its PyTorch backend (trtllm-serve and trtllm-bench since 1.0: CUDA graphs for generation-only steps, the kernels of steps with a prompt launched from Python); tensorrt runs TensorRT engines built by trtllm-build (releases before 1.0, NIM's optimized profiles before 1.15), whose C++ runtime launches every step's kernels [default: pytorch; tensorrt with an --engine-version before 1.0, and with --engine nim but from NIM 1.15].",
        "pytorch|tensorrt", text => text.Trim().ToLowerInvariant() switch
        {
            "pytorch" or "torch" => "pytorch",
            "tensorrt" or "trt" => "tensorrt",
            _ => throw new InputException($"--trtllm-backend '{text}' is not known; use pytorch or tensorrt."),
        });

    public Option<string?> MultiBlockMode { get; } = CliOptions.Parsed<string?>("--multi-block-mode",
        "TensorRT-LLM only: off runs decode attention without multi-block mode (a trtllm-build flag before 0.12, off unless given; on by default from 0.13): one thread block per head walks a sequence's whole context, so a long context is slow at a small batch [default: on; off under --engine nim with an --engine-version before 1.1].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--multi-block-mode '{text}' is not known; use on or off."),
        });

    public Option<string?> VllmEngine { get; } = CliOptions.Parsed<string?>("--vllm-engine",
        "vLLM only: v0 runs its V0 engine (the default before 0.8, VLLM_USE_V1=0 until 0.10): every step scheduled synchronously, with host time on each running sequence beside the GPU's step (after it with an --engine-version before 0.6); v1 its current engine [default: v1; v0 with an --engine-version before 0.8].",
        "v0|v1", text => text.Trim().ToLowerInvariant() switch
        {
            "v0" or "0" => "v0",
            "v1" or "1" => "v1",
            _ => throw new InputException($"--vllm-engine '{text}' is not known; use v0 or v1."),
        });

    public Option<string?> AsyncScheduling { get; } = CliOptions.Parsed<string?>("--async-scheduling",
        "vLLM, TensorRT-LLM's PyTorch backend and SGLang: on builds each step while the one before runs, so a prompt that reaches a busy engine joins the step after next; off schedules each step after the last one's output is back, as vLLM ran before 0.14 (or with --no-async-scheduling), TensorRT-LLM before 0.20 (or with disable_overlap_scheduler) and SGLang with --disable-overlap-schedule, adding host time to every step [default: on; off with an --engine-version before those, with SGLang 0.5.4-0.5.13 serving a linear-attention hybrid (Qwen3-Next, Qwen3.5, Nemotron-H) from its radix cache (on: a run with --disable-radix-cache) and SGLang before 0.5.13 drafting with EAGLE or MTP (on: SGLANG_ENABLE_SPEC_V2=1), and for vLLM's and SGLang's ngram drafting, which each runs only synchronously].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--async-scheduling '{text}' is not known; use on or off."),
        });

    public Option<string?> ChunkedAttention { get; } = CliOptions.Parsed<string?>("--chunked-attention",
        "Llama 4 only: off attends over the whole context in its chunked layers too, as TensorRT-LLM before 0.21 ran it (its chunked-attention kernels came in 0.21) [default: on; off with --engine trtllm and an --engine-version before 0.21].",
        "on|off", text => text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" => "on",
            "off" or "false" => "off",
            _ => throw new InputException($"--chunked-attention '{text}' is not known; use on or off."),
        });

    public SpeculativeOptions Speculation { get; } = new();

    public Option<double?> GpuMemoryUtilization { get; } = CliOptions.PositiveDouble("--gpu-memory-utilization",
        "Fraction of GPU memory the engine may use (vLLM's --gpu-memory-utilization, SGLang's --mem-fraction-static, TensorRT-LLM's kv_cache_free_gpu_mem_fraction) [default: 0.9; SGLang derives its own from the GPU's memory: 0.834 on one H100, 0.906 on one H200].", max: 1, helpName: "F");

    public Option<double?> WindowPoolRatio { get; } = CliOptions.PositiveDouble("--swa-full-tokens-ratio",
        "SGLang's hybrid window pool: tokens of the sliding-window layers' KV pool per token of the full layers' (gpt-oss's windowed layers, every DeepSeek-V4 layer's 128-token window and its compressors' state) [default: the engine's: SGLang 0.8, 0.1 for DeepSeek-V4; vLLM and TensorRT-LLM hold a window's blocks per sequence instead].", max: 1, helpName: "R");

    /// <summary>Adds the options to <paramref name="command"/>, with <paramref name="shape"/> (the verb's TP or pools) right after model and GPU.</summary>
    public void AddTo(Command command, params Option[] shape)
    {
        // The engines' own spellings of the same settings (vLLM, SGLang, TensorRT-LLM), so a command copied from a
        // benchmark page runs as written.
        // trtllm-serve's and trtllm-bench's spell theirs with underscores; SGLang's chunk size is its step's token budget.
        AddAliases(PipelineParallel, "--pipeline-parallel-size", "--pp-size", "--pp_size");
        AddAliases(ExpertParallel, "--ep-size", "--expert-parallel-size", "--ep_size");
        AddAliases(AttentionDataParallel, "--enable-dp-attention", "--enable-attention-dp");
        AddAliases(MaxNumSeqs, "--max-running-requests", "--max-batch-size", "--max_batch_size");
        AddAliases(MaxNumBatchedTokens, "--max-num-tokens", "--max_num_tokens", "--chunked-prefill-size");
        AddAliases(CudaGraphMax, "--max-cudagraph-capture-size", "--cuda-graph-max-bs");
        AddAliases(GpuMemoryUtilization, "--mem-fraction-static", "--kv_cache_free_gpu_mem_fraction", "--kv_cache_free_gpu_memory_fraction");
        command.Add(Model);
        command.Add(Gpu);
        foreach (var option in shape)
        {
            command.Add(option);
        }

        Profile.AddTo(command);
        command.Add(Dtype);
        command.Add(KvCacheDtype);
        command.Add(PipelineParallel);
        command.Add(ExpertParallel);
        command.Add(AttentionDataParallel);
        command.Add(AttentionDpBalance);
        command.Add(MaxNumSeqs);
        command.Add(MaxNumBatchedTokens);
        command.Add(CudaGraphMax);
        command.Add(ChunkedPrefill);
        command.Add(MixedChunk);
        command.Add(MoeBackend);
        command.Add(AllReduceFusion);
        command.Add(TrtllmBackend);
        command.Add(MultiBlockMode);
        command.Add(Xqa);
        command.Add(VllmEngine);
        command.Add(AsyncScheduling);
        command.Add(ChunkedAttention);
        Speculation.AddTo(command);
        command.Add(GpuMemoryUtilization);
        command.Add(WindowPoolRatio);
    }

    /// <summary>Adds other names for <paramref name="option"/>: the spellings engines and benchmark tools use.</summary>
    public static void AddAliases(Option option, params string[] aliases)
    {
        foreach (var alias in aliases)
        {
            if (!option.Aliases.Contains(alias)) option.Aliases.Add(alias);
        }
    }

    /// <summary>
    /// The model and weight format to estimate: --model in --dtype, or the release of it that ships in that format
    /// (<see cref="DTypes.ForEstimate"/>; its note, when it substitutes one, is for stderr).
    /// </summary>
    public WeightChoice Weights(ParseResult parse) => DTypes.ForEstimate(parse.GetRequiredValue(Model), CliOptions.Format(parse, Dtype));

    /// <summary>The note for stderr when --engine trtllm models NIM because --model was given by NIM's name; null otherwise.</summary>
    public string? NimNote(ParseResult parse) => Profile.NimByNameNote(parse, Model);

    /// <summary>
    /// The engine these options describe, at <paramref name="tensorParallel"/>; not yet validated. A layout a verb
    /// resolved from other spellings (<see cref="VllmParallelOptions"/>) passes its expert parallelism and attention DP.
    /// </summary>
    public EngineSpec Build(ParseResult parse, int tensorParallel, int? expertParallel = null, bool? attentionDataParallel = null)
    {
        var gpu = parse.GetRequiredValue(Gpu);
        var engine = Profile.Resolve(parse);
        var (model, weights, _) = Weights(parse);
        var attentionDp = attentionDataParallel ?? parse.GetValue(AttentionDataParallel);
        var limitRanks = engine.DefaultLimitRanks(attentionDp, tensorParallel);
        // What --engine-version ran by default; each setting's own flag still wins.
        var release = Profile.Release(parse, Model);
        var nim = Profile.NamesNim(parse, Model);
        var speculative = Speculation.Resolve(parse);
        var released = ReleaseDefaults.For(engine.Engine, release, gpu, model, weights, nim, speculative?.Method);
        var v0 = parse.GetValue(VllmEngine) is { } vllmEngine ? vllmEngine == "v0" : released.VllmV0;
        // vLLM refuses async scheduling asked for with ngram drafting (it runs that drafter only synchronously), and SGLang
        // turns its overlap scheduler off for it whatever it is told.
        if (speculative is { Method: SpeculativeMethod.Ngram } && parse.GetValue(AsyncScheduling) == "on")
        {
            if (engine.Engine == ServingEngine.Vllm)
                throw new InputException("--async-scheduling on: vLLM runs ngram drafting only with synchronous scheduling (async scheduling is for its EAGLE and MTP drafters). Leave out --async-scheduling, or use --speculative-method eagle, eagle3 or mtp.");
            if (engine.Engine == ServingEngine.Sglang)
                throw new InputException("--async-scheduling on: SGLang runs ngram drafting only without its overlap scheduler (its server turns the overlap off for ngram). Leave out --async-scheduling, or use --speculative-method eagle, eagle3 or mtp.");
        }
        var spec = new EngineSpec
        {
            Model = model,
            Gpu = gpu,
            Engine = engine,
            TensorParallel = tensorParallel,
            PipelineParallel = parse.GetValue(PipelineParallel),
            ExpertParallel = expertParallel ?? parse.GetValue(ExpertParallel),
            AttentionDataParallel = attentionDp,
            AttentionDpBalanceSteps = parse.GetValue(AttentionDpBalance) ?? 0,
            WeightDtype = weights,
            KvCacheDtype = CliOptions.Format(parse, KvCacheDtype),
            GpuMemoryUtilization = parse.GetValue(GpuMemoryUtilization),
            WindowPoolRatio = parse.GetValue(WindowPoolRatio),
            MaxNumSeqs = parse.GetValue(MaxNumSeqs) ?? engine.ReplicaMaxNumSeqs(gpu, limitRanks, speculative is not null),
            MaxNumBatchedTokens = parse.GetValue(MaxNumBatchedTokens) ?? released.MaxNumTokens ?? limitRanks * engine.DefaultMaxNumBatchedTokens(gpu),
            CudaGraphMaxBatch = parse.GetValue(CudaGraphMax),
            EnableChunkedPrefill = parse.GetValue(ChunkedPrefill) is { } chunked ? chunked == "on" : engine.ChunkedPrefill,
            MixedPrefillDecode = parse.GetValue(MixedChunk) is { } mixed ? mixed == "on" : null,
            MoeBackend = parse.GetValue(MoeBackend) is { } moe ? DisaggServing.Engine.Performance.MoeBackends.Parse(moe) : released.MoeBackend,
            AllReduceFusion = parse.GetValue(AllReduceFusion) is { } fusion ? fusion == "on" : null,
            TensorRtEngine = parse.GetValue(TrtllmBackend) is { } backend ? backend == "tensorrt" : released.TensorRtEngine,
            UnsplitDecodeAttention = parse.GetValue(MultiBlockMode) is { } multiBlock ? multiBlock == "off" : !released.MultiBlockMode,
            Xqa = parse.GetValue(Xqa) is { } xqa ? xqa == "on" : null,
            // V0 has no async scheduling: --vllm-engine v0 implies it off (and refuses it on, in EngineSpec.Validate).
            SynchronousScheduling = parse.GetValue(AsyncScheduling) is { } scheduling ? scheduling == "off" : v0 || released.SynchronousScheduling,
            VllmV0 = v0,
            ChunkedAttention = parse.GetValue(ChunkedAttention) is { } chunkedAttention ? chunkedAttention != "off" : released.ChunkedAttention,
            Release = release,
            Nim = nim,
            Speculative = speculative,
        };
        return Profile.ApplyProfile(parse, spec);
    }
}
