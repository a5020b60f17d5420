using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Roofline time of one engine iteration on one replica. Per pipeline stage and per GPU: compute = GEMM FLOPs
/// at the weight dtype's tensor peak × GEMM efficiency (on GPUs whose constants say so, rising with the step's rows per
/// GEMM: <see cref="GpuSpec.GemmLargeRowsGain"/>) + attention FLOPs at BF16 peak × attention efficiency;
/// memory = weights read once (MoE: only the experts the step's tokens are expected to hit) + KV read per
/// sequence, at HBM bandwidth × efficiency; the stage takes the larger, then the elementwise kernels, the
/// per-layer floor and the TP collectives (all-reduces; with expert parallelism, an all-to-all dispatch and
/// combine in MoE layers). Stages run in turn (PP adds capacity, not speed) with hand-offs over EFA; the
/// engine's host cost per step and per sequence is added; a step not replayed from a CUDA graph also waits on the
/// host launching its kernels one by one (<see cref="StepCost.HostLaunchSeconds"/>). DeepSeek Sparse Attention
/// attends to at most top-k keys per query (plus its indexer over all keys), costed from the batch's mean context.
/// The constants come from <see cref="EngineSpec.EffectiveConstants"/>.
/// </summary>
public sealed class StepTimeModel : IStepTimeModel
{
    private readonly EngineSpec _spec;
    private readonly EngineProfile _engine;
    private readonly int _cudaGraphMaxBatch;
    private readonly double _stepOverhead, _perSequenceOverhead, _hostStepFloor, _hostSequenceFloor, _frontEndTokenFloor;
    private readonly double _gemmFlopsPerToken, _lmHeadFlopsPerSeq, _routedFlopsPerRow;
    private readonly double _attnFlopsPerPairPrefill, _attnFlopsPerPairDecode, _indexerFlopsPerPair;
    private readonly double _kvReadRate;
    // A GQA model's FP8 decode under the masked MHA kernel (EngineSpec.MaskedMhaDecodesGqa): query heads a KV head's cache
    // is converted for, and the rate of that conversion (0: not modelled).
    private readonly double _maskedMhaGroup, _maskedMhaGroupRate;
    private readonly double _gemmRate, _attnRate, _indexerRate, _hbmRate, _arHalfBytes, _kvBytesPerToken, _indexerKvBytesPerToken;
    private readonly double _denseWeightBytes, _expertBytes, _moeLayersPerStage, _attentionLayersPerStage, _denseMlpLayersPerStage;
    // A hybrid model's linear-attention layers on the stage: their recurrence's FLOPs a prompt and a decode token, and
    // the bytes of one sequence's state on the rank (LinearAttentionSpec).
    private readonly double _linearFlopsPerPromptToken, _linearFlopsPerDecodeToken, _stateBytesPerSequence;
    private readonly double _arLatency, _arBytesPerToken, _arRate, _ppLatency, _ppRate, _a2aBytesPerToken;
    private readonly double _gemmHalfRows, _gemmLargeRowsGain, _gemmPeak, _v0SequenceHost, _v0SerialSequenceHost, _unsplitDecodeTokenSeconds, _unsplitDecodeBlocks, _rankKvHeads;
    private readonly double _elementwiseBytesPerToken, _kernelFloor, _hostLaunch, _rankAttentionFlopsPerToken;
    // The same for a step too large for fused all-reduces (_fusedMaxTokens), and each all-reduce's latency either way.
    private readonly double _unfusedKernelFloor, _unfusedHostLaunch, _unfusedArLatency, _fusedMaxTokens;
    // The host time an eager decode step saves on a hybrid's linear-attention mixers against a prompt's chunked path.
    private readonly double _decodeMixerHostSaving;
    private readonly bool _splitQkNorm;
    private readonly double _expertHalfRows, _expertRowsGain;
    private readonly int _experts, _expertsPerToken, _sparseTopK, _tileExperts;
    private readonly WindowedAttention? _window;
    private readonly CompressedAttention? _compressed;
    private readonly double _expertFullRows, _expertRowsExponent, _expertSmallStepTokens;
    private readonly Mxfp4MoeKernels.Tiling? _expertTiles;
    private readonly bool _tileFollowsRows, _tileLosesEfficiency, _firstTileLoadIsWeightRead, _firstTileLoadAtLargestTile, _marlinExperts, _mlpDataParallel;
    private readonly int _expertTileMinRows, _swapAbRows; // _swapAbRows: DeepGemmExpertTiles
    // The few-row loss of the engine's MoE tiles (EngineProfile.ExpertTileHalfRows) and the tile it was fitted at.
    private readonly double _tileHalfRows, _fittedTileRows;
    private readonly double _expertWeightReadScale = 1; // HopperFp8Experts, BlackwellFp4Experts
    private readonly double _blockFp8GemmFloor, _marlinMmaBoundScale = 1, _expertWidthGain = 1;
    // Speculative decoding: draft passes a step (0 for drafts proposed on the host) and the drafter's LM-head parameters per rank.
    private readonly int _draftPasses;
    private readonly double _draftLmHeadParams, _draftPassSeconds, _speculativeStepSeconds;

    /// <summary>Hidden-state passes through HBM per token and layer outside the GEMMs (2 norms in/out, 2 residual adds, RoPE, quantize).</summary>
    public const double ElementwiseHiddenPasses = 8;

    /// <summary>MLP-intermediate passes per token and layer outside the GEMMs (read gate and up, write the activation).</summary>
    public const double ElementwiseMlpPasses = 3;

    /// <summary>
    /// Hidden-state passes per token and routed expert in an MoE layer outside the GEMMs: the permute writes a copy of
    /// the token for each of its k experts (and quantizes it), the unpermute reads the k results back and sums them.
    /// </summary>
    public const double ElementwiseMoePasses = 4;

    /// <summary>
    /// Efficiency of the routed experts' grouped GEMMs relative to dense GEMMs, on the rows they compute once padded
    /// to whole tiles (<see cref="EngineProfile.ExpertTileRows"/>): each expert is a small GEMM of its own, in
    /// block-scaled FP8/FP4. Fitted on the Qwen3-235B figures of H100, H200 and B200 (docs/calibration.md).
    /// </summary>
    public const double GroupedGemmEfficiency = 0.29;

    /// <summary>Latency of one pipeline hand-off between nodes (EFA RDMA write plus completion).</summary>
    public const double EfaLatencySeconds = 25e-6;

    /// <summary>Builds the model for <paramref name="spec"/> (validated here); <paramref name="overheads"/> replaces the engine's host costs (tests use <see cref="EngineOverheads.None"/>).</summary>
    public StepTimeModel(EngineSpec spec, EngineOverheads? overheads = null, InstanceTypeSpec? instance = null)
    {
        _spec = spec.Validate();
        _engine = spec.Engine;
        _cudaGraphMaxBatch = spec.EffectiveCudaGraphMaxBatch;
        var c = spec.EffectiveConstants;
        var released = spec.ReleaseDefaults;
        // A TensorRT engine's C++ executor schedules synchronously too (EngineProfiles.Trtllm).
        _stepOverhead = overheads?.StepSeconds ?? c.StepSeconds + (spec.SchedulesSynchronously || spec.TensorRtEngine ? spec.Engine.SyncSchedulingStepSeconds : 0);
        // The host's own step under async scheduling with worker processes (EngineProfile.MultiprocessHostStepSeconds),
        // a host cost as the others: none where the caller sets the overheads.
        if (overheads is null && spec.GpusPerReplica > 1 && !spec.SchedulesSynchronously)
            (_hostStepFloor, _hostSequenceFloor) = (spec.Engine.MultiprocessHostStepSeconds, spec.Engine.MultiprocessHostSequenceSeconds);
        // A streaming TensorRT engine's front end sends each token on its own thread (EngineProfile.TensorRtEngineFrontEndTokenSeconds).
        if (overheads is null && spec.TensorRtEngine && spec.StreamsTokens) _frontEndTokenFloor = spec.Engine.TensorRtEngineFrontEndTokenSeconds;
        _perSequenceOverhead = overheads?.PerSequenceSeconds
            ?? c.PerSequenceSeconds + (spec.TensorRtEngine && spec.StreamsTokens ? _engine.TensorRtEngineStreamedSequenceSeconds : 0);
        var m = spec.Model;
        var gpu = spec.Gpu;
        int tp = spec.TensorParallel;
        var stageShare = (double)spec.LayersPerStage / m.Layers;

        // Routed experts run as grouped GEMMs over a few tokens each, at a fraction of a dense GEMM's efficiency.
        var routedParams = m.Moe is { } routed ? m.MoeLayers * routed.ExpertsPerToken * m.ExpertParams : 0;
        _gemmFlopsPerToken = 2 * (m.ActiveLayerParamsPerToken - routedParams) * stageShare / tp;
        // MLA's down-projections run whole on every TP rank (with attention DP each rank already runs its attention whole).
        var replicatedParams = spec.AttentionDataParallel ? 0 : m.ReplicatedAttentionParamsPerLayer * spec.LayersPerStage * (tp - 1) / tp;
        _gemmFlopsPerToken += 2 * replicatedParams;
        // Integer experts an engine runs weight-only take BF16's grouped GEMM, their bytes their own (EngineProfile.ExpertGemmDtype).
        var expertGemm = _engine.ExpertGemmDtype(spec.WeightDtype);
        var expertEfficiency = GroupedGemmEfficiency * _engine.ExpertGemmScale(gpu, expertGemm);
        // MXFP4 and experts-only INT4 checkpoints keep the non-expert layers in BF16: their bytes and their GEMMs' rate are BF16's, whatever
        // rate the experts take (GpuSpec.PeakFlops: BF16 on Hopper; the FP4 rate on Blackwell, docs/calibration.md, Models).
        var denseDtype = spec.Model.DenseWeights(spec.WeightDtype);
        _routedFlopsPerRow = 2 * m.MoeLayers * stageShare * m.ExpertParams / tp / expertEfficiency;
        // The expert's GEMM shape: a short reduction per rank pays the kernel's per-tile cost over fewer k-steps.
        if (m.Moe is { } shape)
        {
            var widthPerRank = shape.ExpertFfn / (double)(tp / spec.ExpertParallel);
            _routedFlopsPerRow *= ExpertGemmShape.CostFactor(m.ExpertInput, widthPerRank, _engine.ExpertPrologueK);
            // Experts wider per rank than the fitted ones run nearer a dense GEMM, in the CUTLASS MoE GEMM the efficiency was
            // fitted on, per-tensor FP8 or unscaled BF16/FP16 (not Blackwell's TRTLLM-gen kernels, block-scaled FP8's runner).
            if (_engine.ExpertWidthRises(gpu, expertGemm, m))
                _expertWidthGain = ExpertGemmWidth.Gain(widthPerRank, 1 / expertEfficiency);
        }
        _tileHalfRows = _engine.ExpertTileHalfRows;
        _fittedTileRows = _engine.ExpertTileRows;
        _expertTiles = Mxfp4MoeKernels.TileRule(gpu, spec.WeightDtype, _engine.Engine);
        // Where the engine's grouped GEMMs rise with rows per expert, they rise towards a dense GEMM's efficiency.
        _expertHalfRows = _engine.ExpertHalfRows(expertGemm);
        // MXFP4 experts on Hopper compute in BF16 in Triton's matmul_ogs, which rises with rows per expert as fused_moe does.
        if (Mxfp4MoeKernels.RisesWithRows(gpu, spec.WeightDtype)) _expertHalfRows = Mxfp4MoeKernels.W4A16HalfRows;
        // Through vLLM's Marlin MoE instead they take its M block and, as its W8A16 experts, do not rise.
        _marlinExperts = spec.EffectiveMarlinMoe;
        if (_marlinExperts)
        {
            _expertHalfRows = 0;
            // Marlin is an mma.sync kernel: where its MMAs bound it (Mxfp4MoeKernels.MarlinMmaBoundRows), on A100, whose
            // peak mma.sync is, it reaches a larger share of the peak than on Hopper; experts split by TP shorten the
            // down projection each tile's pipeline fill is spread over.
            _marlinMmaBoundScale = Mxfp4MoeKernels.MarlinRateScale(gpu);
            if (m.Moe is { } split)
                _marlinMmaBoundScale /= Mxfp4MoeKernels.MarlinShapeFactor(m.ExpertInput, split.ExpertFfn, split.ExpertFfn / (double)(tp / spec.ExpertParallel));
        }
        _expertRowsGain = Math.Max(1, 1 / expertEfficiency);
        // Per-tensor FP8 experts split by TP on Hopper run BF16's grouped GEMM and rise with rows as it does (TpSplitFp8Experts).
        if (TpSplitFp8Experts.Applies(spec)) _expertHalfRows = _engine.TpSplitFp8ExpertHalfRows;
        _lmHeadFlopsPerSeq = 2 * m.LmHeadParams / tp;
        // Attention and its TP all-reduce run in the layers that keep it (all but where a NAS model drops some), the dense
        // MLP's all-reduce in those that keep one (ModelSpec.Nas).
        _attentionLayersPerStage = spec.AttentionLayersPerStage;
        _denseMlpLayersPerStage = m.DenseMlpLayers * stageShare;
        _attnFlopsPerPairPrefill = m.AttentionFlopsPerPair(decode: false) * _attentionLayersPerStage / tp;
        _attnFlopsPerPairDecode = m.AttentionFlopsPerPair(decode: true) * _attentionLayersPerStage / tp;
        // Dense GEMMs run at their own weights' peak (an MXFP4 checkpoint's BF16 attention and router at BF16's); routed
        // experts keep theirs, so their work is counted in dense-rate FLOPs (× dense peak ÷ expert peak).
        var densePeak = gpu.PeakFlops(denseDtype);
        _routedFlopsPerRow *= densePeak / gpu.PeakFlops(expertGemm);
        // MXFP4 experts on Blackwell are costed as the MXFP8 × MXFP4 MMAs TensorRT-LLM runs (GpuSpec.PeakFlops); fed BF16
        // activations (vLLM's default) the kernel widens the weights to BF16 and its MMAs run at BF16's rate, half of FP8's.
        if (spec.Mxfp4ExpertsTakeBf16Activations) _routedFlopsPerRow *= gpu.Fp8Flops!.Value / gpu.Bf16Flops;
        _gemmRate = densePeak * c.GemmEfficiency;
        _gemmPeak = densePeak;
        _gemmHalfRows = gpu.GemmHalfRows;
        _gemmLargeRowsGain = gpu.GemmLargeRowsGain;
        _attnRate = gpu.Bf16Flops * c.AttentionEfficiency;
        // Sinks below Hopper: the engine's fallback attention kernel (vLLM: Triton unified attention).
        if (m.AttentionSinks && gpu.Fp8Flops is null) _attnRate *= _engine.SinkAttentionScaleBeforeHopper;
        _hbmRate = gpu.HbmBandwidth * c.HbmEfficiency;
        // An MHA model's decode attention on Hopper reads KV no faster than the engine's kernel follows (EngineProfile.MaskedMhaKvReadBytesPerSecond).
        var hopper = gpu.Fp8Flops is not null && gpu.Fp4Flops is null;
        // The attention kernels stream KV as a plain read does (GpuSpec.KvStreamGain), never past the bandwidth.
        var kvStreamRate = Math.Min(gpu.HbmBandwidth, _hbmRate * gpu.KvStreamGain);
        _kvReadRate = _engine.MaskedMhaKvReadBytesPerSecond > 0 && hopper && m.Mla is null && m.KvHeads == m.Heads
            ? Math.Min(kvStreamRate, _engine.MaskedMhaKvReadBytesPerSecond * c.HbmEfficiency)
            : kvStreamRate;
        _kvBytesPerToken = MemoryModel.KvBytesPerTokenPerGpu(spec);
        if (spec.MaskedMhaDecodesGqa && hopper && spec.EffectiveKvDtype == DType.Fp8 && _engine.MaskedMhaFp8GroupBytesPerSecond > 0)
        {
            _maskedMhaGroup = (double)m.Heads / m.KvHeads;
            _maskedMhaGroupRate = _engine.MaskedMhaFp8GroupBytesPerSecond * c.HbmEfficiency;
        }
        if (m.Linear is { } linear)
        {
            _linearFlopsPerPromptToken = linear.FlopsPerToken(prompt: true) * spec.LinearLayersPerStage / tp;
            _linearFlopsPerDecodeToken = linear.FlopsPerToken(prompt: false) * spec.LinearLayersPerStage / tp;
            _stateBytesPerSequence = MemoryModel.RecurrentStateBytesPerGpu(spec);
        }

        // DSA: the indexer scores every key (FP8, one small head set) and attention then reads only top-k keys. The
        // indexer is not split by TP: vLLM's and SGLang's Indexer build wq_b, wk and weights_proj as ReplicatedLinear
        // ("no tensor parallel, just replicated", vllm/model_executor/models/deepseek_v2.py; sglang nsa_indexer.py),
        // so every rank scores all its heads against every key; only attention DP splits it, by sequence.
        // Under IndexShare only the indexed layers score and hold indexer keys; the others reuse their top-k.
        if (m.Mla is { IndexerTopK: > 0 } dsa)
        {
            var indexed = dsa.IndexedShare(m.Layers);
            _sparseTopK = dsa.IndexerTopK;
            _indexerFlopsPerPair = 2.0 * dsa.IndexerHeads * dsa.IndexerHeadDim * indexed * spec.LayersPerStage / (spec.AttentionDataParallel ? tp : 1);
            _indexerRate = gpu.PeakFlops(DType.Fp8) * c.AttentionEfficiency;
            _indexerKvBytesPerToken = _kvBytesPerToken * dsa.IndexerHeadDim * indexed / m.KvElementsPerTokenPerLayer;
            // Prefill and decode both run FlashMLA's sparse kernels in the absorbed MQA form (576-wide keys, 512-wide
            // values) over the top-k keys, on a head tile the rank's heads are padded to (DsaAttention).
            _attnFlopsPerPairPrefill = _attnFlopsPerPairDecode = DsaAttention.FlopsPerPair(spec);
        }

        // DeepSeek-V4: each layer attends to its window and compressed entries; the sparse layers' indexer scores the latter.
        _compressed = CompressedAttention.For(spec);
        if (_compressed is not null)
        {
            _indexerRate = gpu.PeakFlops(DType.Fp8) * c.AttentionEfficiency;
            _attnFlopsPerPairPrefill = _attnFlopsPerPairDecode = CompressedAttention.FlopsPerPair(spec);
        }

        // An engine without chunked-attention kernels attends over whole contexts in Llama 4's chunked layers too, and
        // TensorRT-LLM over whole contexts under a window every layer shares (EngineProfile.AppliesUniformSlidingWindow).
        var uniformWindowIgnored = !_engine.AppliesUniformSlidingWindow && m.Window is { Chunked: false } w && w.Layers == m.Layers;
        _window = (spec.ChunkedAttention || m.Window is not { Chunked: true }) && !uniformWindowIgnored ? WindowedAttention.For(m, spec.AttentionDataParallel ? 1 : tp) : null;
        _expertTileMinRows = _engine.ExpertTileMinRows(gpu, spec.WeightDtype);
        _tileFollowsRows = _expertTileMinRows > 0;
        // A small tile's own rate loss was fitted on Blackwell's TRTLLM-gen kernels; on Ampere and Hopper a few-row
        // tile is bound by streaming the expert's weights, which the roofline's memory term already charges.
        _tileLosesEfficiency = _tileFollowsRows && EngineProfile.BlockScaledBlackwellExperts(gpu, spec.WeightDtype);
        // FP4 experts on Blackwell: TensorRT-LLM's CUTLASS MoE takes the engine's fixed tile, with no few-row loss of its
        // own; TensorRT-LLM-gen's (the default) loads an expert's first tile's weights as the step's weight read
        // (TileEfficiencyLoss; NVFP4's below the largest tile, with fixed work a MoE layer, BlackwellFp4Experts.Nvfp4MoeLayerSeconds).
        // In every engine they stream faster than B200's fitted HBM efficiency (BlackwellFp4Experts).
        if (spec.MoeBackend == MoeBackend.Cutlass) _tileFollowsRows = _tileLosesEfficiency = false;
        // vLLM and SGLang drive the same TensorRT-LLM-gen kernel with a tile of their own choosing (Mxfp4MoeKernels.VllmBlackwellTiling):
        // the kernel's few-row loss is the one fitted on TensorRT-LLM.
        if (_expertTiles is not null && gpu.Fp4Flops is not null)
        {
            _tileLosesEfficiency = true;
            _tileHalfRows = EngineProfiles.Trtllm.ExpertTileHalfRows;
            _fittedTileRows = EngineProfiles.Trtllm.ExpertTileRows;
        }
        _firstTileLoadIsWeightRead = _tileLosesEfficiency && spec.WeightDtype is DType.Mxfp4 or DType.Fp4;
        _firstTileLoadAtLargestTile = spec.WeightDtype == DType.Mxfp4;
        if (BlackwellFp4Experts.StreamAtOwnRate(gpu, spec.WeightDtype))
            _expertWeightReadScale = Math.Min(1, c.HbmEfficiency / BlackwellFp4Experts.WeightStream);
        // Per-tensor FP8 experts held whole behind attention DP on Hopper: small tiles with that loss, a slower weight stream.
        if (HopperFp8Experts.Applies(spec))
        {
            _expertTileMinRows = _engine.HopperFp8ExpertTileMinRows;
            _tileFollowsRows = _tileLosesEfficiency = true;
            _expertWeightReadScale = HopperFp8Experts.WeightReadScale(_engine, c.HbmEfficiency);
        }

        // With attention DP each rank runs the whole attention block (projections and attention) for its own sequences,
        // and where the engine runs them data-parallel too, the dense MLPs and shared experts (AttentionDpMlp).
        _mlpDataParallel = AttentionDpMlp.Applies(spec);
        if (spec.AttentionDataParallel && tp > 1)
            _rankAttentionFlopsPerToken = 2 * m.AttentionParamsPerLayer * _attentionLayersPerStage + (_mlpDataParallel ? 2 * AttentionDpMlp.StageParams(spec) : 0);

        var wb = denseDtype.Bytes();
        var attentionParams = m.AttentionLayers * m.AttentionParamsPerLayer;
        var denseParams = attentionParams + m.LinearAttentionParams + m.DenseMlpParamsAllLayers
            + m.MoeLayers * m.MoeDenseParamsPerLayer;
        // INT4 layers stream their packed weights slower than the HBM rate (W4A16Kernels); the BF16 LM head does not.
        wb *= W4A16Kernels.WeightReadScale(gpu, denseDtype);
        // Per-token activation scales (Red Hat's FP8-dynamic, W8A8): the dense linear layers' weight stream and math run
        // at the engine's rate for them (EngineProfile.PerTokenScaledGemmRate); the BF16 LM head does not.
        if (m.PerTokenActivationScales && spec.WeightDtype == m.CheckpointDtype)
        {
            wb /= _engine.PerTokenScaledGemmRate;
            _gemmFlopsPerToken /= _engine.PerTokenScaledGemmRate;
        }
        _denseWeightBytes = (denseParams * stageShare * wb + m.LmHeadParams * 2) / tp;
        if (spec.AttentionDataParallel)
            _denseWeightBytes += attentionParams * stageShare * wb * (tp - 1) / tp; // replicated, read by every rank
        _denseWeightBytes += replicatedParams * wb;
        _denseWeightBytes += AttentionDpMlp.ExtraParamsPerGpu(spec) * wb; // replicated, read by every rank
        _expertBytes = m.ExpertParams * spec.WeightDtype.Bytes() * W4A16Kernels.WeightReadScale(gpu, spec.WeightDtype) / tp;
        _moeLayersPerStage = m.MoeLayers * stageShare;
        _experts = m.Moe?.RoutedExperts ?? 0;
        // matmul_ogs under EP sizes its tile over the rank's experts, counting every token's k slots (Mxfp4MoeKernels.TileExperts).
        _tileExperts = Mxfp4MoeKernels.TileExperts(_experts, spec.ExpertParallel);
        _expertsPerToken = m.Moe?.ExpertsPerToken ?? 0;
        // Block-FP8 experts on Hopper run as the engine's Triton fused_moe (EngineProfile.HopperFp8ExpertFullRows), and on
        // Blackwell too where the release's FlashInfer MoE could not take the router (ReleaseDefaults.Fp32RouterTritonExperts).
        // Per-channel and per-tensor FP8 experts (GLM-4.x-FP8, an online --dtype fp8) run the same kernel with one scale
        // applied after the K loop, not a block scale inside it, and keep the fitted efficiency.
        if (_engine.HopperFp8ExpertFullRows > 0 && spec.WeightDtype == DType.Fp8 && m.BlockScaledFp8 && gpu.Fp8Flops is not null
            && (gpu.Fp4Flops is null || released.Fp32RouterTritonExperts))
        {
            _expertFullRows = _engine.HopperFp8ExpertFullRows;
            _expertRowsExponent = _engine.HopperFp8ExpertRowsExponent;
            _expertSmallStepTokens = _engine.HopperFp8ExpertSmallStepTokens;
        }

        // Block-FP8 experts under TensorRT-LLM on Hopper take DeepGEMM's tiles (DeepGemmExpertTiles).
        if (DeepGemmExpertTiles.Applies(spec)) _swapAbRows = _engine.BlockFp8SwapAbRows;

        // Block-FP8 linear layers on Hopper at few rows take a fixed latency each (EngineProfile.HopperBlockFp8GemmSeconds).
        if (_engine.HopperBlockFp8GemmSeconds > 0 && denseDtype == DType.Fp8 && gpu.Fp8Flops is not null && gpu.Fp4Flops is null)
            _blockFp8GemmFloor = spec.LayersPerStage * BlockFp8Gemms.PerLayer(m) * _engine.HopperBlockFp8GemmSeconds;

        // Norms, residual adds, RoPE, activation and quantize kernels stream each token's hidden state and MLP
        // intermediates through HBM between the GEMMs; they run between them, not overlapped with them.
        // A plain (ungated) MLP's intermediate is streamed twice, not three times (ElementwiseMlpPasses counts a gated one's).
        // A NAS model's layers stream their own MLP widths and skip the norms and residual adds of dropped sub-layers; a
        // Nemotron-H stack's expert layers stream their experts' widths, its MLP layers theirs, its other layers none.
        var expertWidth = m.Moe is { } mo ? (double)(mo.ExpertsPerToken + mo.SharedExperts) * mo.ExpertFfn : 0;
        var mlpWidth = m.Nas is not null ? m.MeanDenseMlpWidth + m.MoeLayers * expertWidth / m.Layers : m.Moe is not null ? expertWidth : m.MeanDenseMlpWidth;
        var mlpLocal = mlpWidth * m.DenseMlpMatrices / 3.0 / tp;
        // With attention DP a rank streams only its own 1/TP of the tokens' hidden states.
        var hiddenLocal = spec.AttentionDataParallel ? (double)m.Hidden / tp : m.Hidden;
        _elementwiseBytesPerToken = spec.LayersPerStage * (ElementwiseHiddenPasses * m.SublayerShare * hiddenLocal + ElementwiseMlpPasses * mlpLocal) * 2.0;
        // DeepSeek-V4's hyper-connections: two fused mix kernels a layer, each reading the residual streams and the
        // sub-layer's output and writing both back (vLLM's mhc_fused_post_pre).
        if (m.Compressed is { } hc) _elementwiseBytesPerToken += spec.LayersPerStage * 2 * (2.0 * hc.ResidualStreams + 2) * hiddenLocal * 2.0;
        if (m.Moe is { } routing)
            // Behind attention DP, TP-sharded experts take every rank's tokens (all-gathered before the MoE), so their
            // permute and unpermute pass over all of them; with expert parallelism each rank gets only its experts' share.
            _elementwiseBytesPerToken += m.MoeLayers * stageShare * ElementwiseMoePasses * routing.ExpertsPerToken * (spec.ExpertParallel > 1 ? hiddenLocal * m.ExpertInput / m.Hidden : m.ExpertInput) * 2.0;
        // The floor was fitted on dense GQA layers; layers that launch more kernels (MoE routing, MLA, quantization) pay it per
        // kernel, TensorRT-LLM-gen's FP4 MoE its fixed work on top (BlackwellFp4Experts.MoeLayerSeconds: NVFP4's in every
        // engine, MXFP4's where the engine's path pays it), and an engine's DSA layers theirs (EngineProfile.DsaLayerSeconds).
        // Steps up to _fusedMaxTokens run their all-reduces fused with the norms after them (EngineSpec.FusedAllReduceMaxTokens):
        // two norm kernels a layer fewer, launched or not, and no unfused all-reduce's extra latency; larger steps run both.
        _fusedMaxTokens = spec.FusedAllReduceMaxTokens;
        // An unfused router's kernels run every step, so they join the floor; their host time does not join the eager
        // launches below: one torch-compiled call launches them from its generated wrapper, not module by module.
        var unfusedRouter = LayerKernels.UnfusedRouter(m, _engine);
        var otherFloor = _moeLayersPerStage * BlackwellFp4Experts.MoeLayerSeconds(spec, _tileLosesEfficiency)
            + (m.Mla is { IndexerTopK: > 0 } dsaLayers ? spec.LayersPerStage * dsaLayers.IndexedShare(m.Layers) * _engine.DsaLayerSeconds : 0);
        _splitQkNorm = released.SplitQkNorm;
        double KernelFloor(bool fused) =>
            spec.LayersPerStage * c.LayerFloorSeconds * LayerKernels.RelativeToDense(m, spec.WeightDtype, tp, fused, unfusedRouter, _splitQkNorm) + otherFloor;
        _kernelFloor = KernelFloor(fused: true);
        _unfusedKernelFloor = KernelFloor(fused: false);
        // An eager step with a prompt launches a hybrid's linear-attention layers' chunked prompt path (LayerKernels.LinearMixer),
        // but under a compiled forward (EngineProfile.CompilesModelForward); one that only decodes, their recurrent update.
        double HostKernels(bool fused) => LayerKernels.PerLayer(m, spec.WeightDtype, tp, fused, splitQkNorm: _splitQkNorm, prompt: !_engine.CompilesModelForward)
            - (double)Mxfp4MoeKernels.HostLaunchesSaved(gpu, spec.WeightDtype, _engine.Engine) * m.MoeLayers / m.Layers;
        // Before 0.6 the same host time follows the GPU's step instead of running beside it (EngineSpec.SerialOutputProcessing).
        _v0SequenceHost = spec.VllmV0 && !spec.SerialOutputProcessing ? _engine.V0SequenceHostSeconds : 0;
        _v0SerialSequenceHost = spec.SerialOutputProcessing ? _engine.V0SequenceHostSeconds : 0;
        // vLLM V0's decode shows the same serial walk (EngineSpec.VllmV0), its cause there not identified.
        _unsplitDecodeTokenSeconds = spec.UnsplitDecodeAttention || spec.VllmV0 ? gpu.UnsplitDecodeTokenSeconds : 0;
        // TensorRT-LLM's XQA kernel walks each sequence's KV heads, one block each (a GQA group's query heads together);
        // beyond the GPU's walking blocks a batch walks in turns. V0 keeps one walk a step: its growth with the batch is
        // the host time per sequence (V0SequenceHostSeconds), fitted on the same figures.
        _unsplitDecodeBlocks = spec.UnsplitDecodeAttention && gpu.UnsplitDecodeBlocks > 0 ? gpu.UnsplitDecodeBlocks : double.PositiveInfinity;
        _rankKvHeads = Math.Max(1.0, (double)m.KvHeads / tp);
        // A TensorRT engine launches from C++: no Python per kernel (EngineSpec.TensorRtEngine).
        _hostLaunch = spec.TensorRtEngine ? 0 : spec.LayersPerStage * HostKernels(fused: true) * _engine.EagerKernelSeconds;
        _unfusedHostLaunch = spec.TensorRtEngine ? 0 : spec.LayersPerStage * HostKernels(fused: false) * _engine.EagerKernelSeconds;
        if (m.Linear is { } mixer && !spec.TensorRtEngine && !_engine.CompilesModelForward)
        {
            var mixerLayers = (double)spec.LayersPerStage * mixer.Layers / m.Layers;
            _decodeMixerHostSaving = mixerLayers * _engine.EagerKernelSeconds
                * (LayerKernels.LinearMixer(mixer, spec.WeightDtype, prompt: true) - LayerKernels.LinearMixer(mixer, spec.WeightDtype, prompt: false));
        }

        _arLatency = tp > 1 ? gpu.AllReduceLatencySeconds(tp) + (spec.TensorRtEngine ? _engine.TensorRtEngineAllReduceSeconds : 0) : 0;
        _unfusedArLatency = tp > 1 ? _arLatency + _engine.UnfusedAllReduceSeconds : 0;
        _arBytesPerToken = m.Hidden * 2.0; // BF16 activations
        _arRate = gpu.NvlinkBandwidth * gpu.NvlinkEfficiency;
        // The engine's mid-size curve was fitted on NVLink 4; a faster link needs larger messages to reach the same share (GpuSpec.AllReduceHalfBytesScale).
        _arHalfBytes = _engine.AllReduceHalfBytes * gpu.AllReduceHalfBytesScale;
        // Expert parallelism behind attention DP: by all-to-all, each rank sends its own tokens' hidden states to their
        // k experts' ranks and takes the results back (dispatch + combine), per GPU 1/TP of the step's tokens. Behind TP
        // attention every rank already holds every token, so EP needs only the all-reduce that TP would.
        var ep = spec.ExpertParallel;
        // An engine that gathers instead (EngineProfile.ExpertParallelAllGather) receives every other rank's tokens once
        // (NVFP4 checkpoints quantize them to FP4 before the gather, MXFP4 ones on Blackwell to MXFP8 and per-tensor FP8
        // ones to FP8, as the CUTLASS MoE's static per-tensor quantization runs first; block-scaled FP8, whose MoE runner
        // quantizes per block after the gather, and MXFP4 on Hopper, whose experts take BF16, gather BF16)
        // and reduce-scatters BF16 results: (TP − 1)/TP of the step's tokens each way. Latent experts exchange their latent,
        // not the hidden state (MoeSpec.LatentSize).
        _a2aBytesPerToken = ep <= 1 || !spec.AttentionDataParallel ? 0
            : _engine.ExpertParallelAllGather ? m.ExpertInput * (GatheredBytesPerElement(spec.WeightDtype, gpu, m) + 2.0) * (tp - 1) / tp
            : 2.0 * _expertsPerToken * m.ExpertInput * 2.0 * (ep - 1) / ep / tp;
        if (spec.Speculative is { } speculative)
        {
            if (speculative.DraftVocab(m) > 0)
            {
                _draftPasses = speculative.DraftTokens;
                _draftLmHeadParams = (double)speculative.DraftVocab(m) * m.Hidden / tp;
            }
            // The engine's own time for drafting, in the releases that paid it (EngineProfile.GraphedDrafterFrom).
            var paid = spec.Release is { } release && (_engine.GraphedDrafterFrom is not { } graphed || release.CompareTo(graphed) < 0);
            _draftPassSeconds = paid ? _engine.DraftPassSeconds : 0;
            _speculativeStepSeconds = paid ? _engine.SpeculativeStepSeconds : 0;
        }
        var node = instance ?? InstanceCatalog.All.Values.FirstOrDefault(i => i.Gpu.Id == gpu.Id);
        _ppRate = node?.EfaBytesPerSecondPerGpu ?? 50e9;
        _ppLatency = EfaLatencySeconds;
    }

    // Bytes per hidden element an all-gathering engine moves: the activations as its MoE kernel takes them.
    private static double GatheredBytesPerElement(DType weights, GpuSpec gpu, ModelSpec model) => weights switch
    {
        DType.Fp4 => DType.Fp4.Bytes(),
        DType.Fp8 when !model.BlockScaledFp8 => DType.Fp8.Bytes(),
        DType.Mxfp4 when gpu.Fp4Flops is not null => 1 + 1.0 / 32,
        _ => 2.0,
    };

    /// <summary>The engine this model times.</summary>
    public EngineSpec Spec => _spec;

    /// <inheritdoc />
    public double StepSeconds(in BatchShape batch) => batch.IsEmpty ? 0 : Cost(batch).TotalSeconds;

    /// <summary>Expected distinct routed experts per MoE layer that <paramref name="tokens"/> tokens hit when each picks k of E (<see cref="ExpertRouting"/>).</summary>
    public static double ExpectedExpertsHit(int experts, int expertsPerToken, double tokens) =>
        ExpertRouting.ExpectedHit(experts, expertsPerToken, tokens);

    // Experts hit per MoE layer, counted as the busiest rank sees them (ExpertParallelLoad): under expert parallelism EP
    // times its own, so that × the per-rank share of an expert is that rank's work; without it every rank holds a slice of
    // every expert and the mean is everyone's.
    private double BusiestRankExpertsHit(double tokens)
    {
        var ep = _spec.ExpertParallel;
        return ep > 1
            ? ep * ExpertParallelLoad.BusiestRankHits(_experts, _expertsPerToken, tokens, ep)
            : ExpectedExpertsHit(_experts, _expertsPerToken, tokens);
    }

    /// <summary>The parts of one iteration's time for <paramref name="batch"/>.</summary>
    public StepCost Cost(in BatchShape batch)
    {
        if (batch.IsEmpty) return default;
        var cost = PipelinedCost(batch);
        if (_spec.Speculative is not null && batch.DecodeSequences > 0) cost = cost with { DraftSeconds = DraftSeconds(batch) };
        return _hostStepFloor > 0 || _frontEndTokenFloor > 0 ? WithHostStepFloor(cost, batch.Sequences) : cost;
    }

    /// <summary>
    /// The drafter's passes after a speculative step (<see cref="SpeculativeDecoding"/>): each of its K draft tokens is
    /// one pass of one layer over the step's decoding sequences — an MTP layer has the target's shape and an EAGLE head
    /// is one decoder layer of its width, both costed as the target's mean layer in a one-token decode step of those
    /// sequences at their mean context (its weights, KV, kernels, all-reduces) — and of the drafter's LM head over its
    /// vocabulary (the target's, or EAGLE-3's own), whose weight read or math, the longer, bounds it; and each pass,
    /// and the step, the engine's own fixed time for them where its release paid it (<see cref="EngineProfile.DraftPassSeconds"/>,
    /// <see cref="EngineProfile.SpeculativeStepSeconds"/>, <see cref="EngineProfile.GraphedDrafterFrom"/>).
    /// </summary>
    private double DraftSeconds(in BatchShape batch)
    {
        if (_draftPasses == 0) return _speculativeStepSeconds;
        var sequences = batch.DecodeSequences;
        // A verifying decode attends its 1 + K tokens over a context of about pairs ÷ tokens.
        var context = Math.Max(1, batch.DecodeAttentionPairs / sequences / (_draftPasses + 1.0));
        var step = PipelinedCost(BatchShape.Decodes(sequences, (long)Math.Ceiling(sequences * context)));
        var layer = (step.TotalSeconds - step.OverheadSeconds - step.PpCommSeconds) / step.Stages / _spec.LayersPerStage;
        var lmHead = Math.Max(_draftLmHeadParams * 2 / _hbmRate, 2 * sequences * _draftLmHeadParams / GemmRate(sequences));
        return _draftPasses * (layer + lmHead + _draftPassSeconds) + _speculativeStepSeconds;
    }

    // A pipeline keeps one micro-batch per stage in flight (TensorRT-LLM's mNumMicroBatches = PP, vLLM V1's
    // max_concurrent_batches = PP): every stage works on its own micro-batch, so the batch advances a token in PP
    // stage-times of one micro-batch, each re-reading its stage's weights. Fewer sequences than stages leave bubbles.
    private StepCost PipelinedCost(in BatchShape batch)
    {
        var microBatches = Math.Min(_spec.PipelineParallel, batch.Sequences);
        if (microBatches <= 1) return StageCost(batch);
        // Up to PP sequences each has a micro-batch of its own, and the heaviest sets the pace: a long prompt beside a
        // short one still crosses every stage in turn (its next token needs its last). Beyond PP the batch is split
        // evenly: the simulator schedules one step for all micro-batches, where the engine fills each with its own
        // requests (approximation: a prompt larger than the even share is spread over the micro-batches; see
        // docs/calibration.md, Approximations). The host's step and the hand-offs still cover the whole batch.
        var stage = batch.Sequences <= _spec.PipelineParallel ? StageCost(batch.Heaviest()) : StageCost(batch.Part(microBatches));
        return stage with { OverheadSeconds = OverheadSeconds(batch), PpCommSeconds = PpCommSeconds(batch.NewTokens) };
    }

    private double OverheadSeconds(in BatchShape batch) => _stepOverhead + batch.Sequences * (_perSequenceOverhead + _v0SerialSequenceHost);

    private double PpCommSeconds(double tokens) => (_spec.PipelineParallel - 1) * (_ppLatency + tokens * _arBytesPerToken / _ppRate);

    private StepCost StageCost(in BatchShape batch)
    {
        double tokens = batch.NewTokens;
        var prefillPairs = batch.AttentionPairs - batch.DecodeAttentionPairs;
        var decodePairs = batch.DecodeAttentionPairs;
        var kvBytes = batch.KvTokensRead * _kvBytesPerToken;
        if (_window is not null)
        {
            (prefillPairs, decodePairs, var kvTokens) = _window.Apply(batch, prefillPairs, decodePairs);
            kvBytes = kvTokens * _kvBytesPerToken;
        }
        var indexer = 0.0;
        var attentionFlops = 0.0;
        if (_compressed is not null)
        {
            (prefillPairs, decodePairs, kvBytes, var indexed) = _compressed.Apply(batch, prefillPairs, decodePairs);
            indexer = indexed * _compressed.IndexerFlopsPerKey / _indexerRate;
        }
        if (_sparseTopK > 0)
        {
            indexer = batch.AttentionPairs * _indexerFlopsPerPair / _indexerRate;
            var prefillTokens = tokens - batch.DecodeSequences;
            if (prefillTokens > 0) prefillPairs *= Math.Min(1, _sparseTopK / (prefillPairs / prefillTokens));
            if (batch.DecodeSequences > 0) decodePairs *= Math.Min(1, _sparseTopK / (decodePairs / batch.DecodeSequences));
            var meanContext = (double)batch.KvTokensRead / batch.Sequences;
            var keysRead = batch.Sequences * Math.Min(meanContext, _sparseTopK);
            kvBytes = batch.KvTokensRead * _indexerKvBytesPerToken + keysRead * (_kvBytesPerToken - _indexerKvBytesPerToken);
        }
        // Linear attention: each sequence of the step reads its recurrent state and writes it back (a prompt chunk once,
        // a decode token once), and its tokens run the recurrence (a prompt's in chunks, LinearAttentionSpec.FlopsPerToken).
        if (_stateBytesPerSequence > 0)
        {
            kvBytes += 2 * batch.Sequences * _stateBytesPerSequence;
            attentionFlops += (tokens - batch.DecodeSequences) * _linearFlopsPerPromptToken + batch.DecodeSequences * _linearFlopsPerDecodeToken;
        }
        var expertsHit = _experts > 0 ? BusiestRankExpertsHit(tokens) : 0;
        var compute = (tokens * _gemmFlopsPerToken + RoutedFlops(tokens, expertsHit) + batch.Sequences * _lmHeadFlopsPerSeq) / GemmRate(tokens)
            + BusiestRankExtraSeconds(batch, tokens, prefillPairs);
        var attention = (prefillPairs * _attnFlopsPerPairPrefill + decodePairs * _attnFlopsPerPairDecode + attentionFlops) / _attnRate + indexer;
        // Unsplit decode attention walks each sequence's context in one block per KV head: at least the mean decode
        // context's walk per layer, whatever the KV read (the mean stands in for the longest), once per turn of as many
        // blocks as the GPU walks at once (GpuSpec.UnsplitDecodeBlocks; EngineSpec.UnsplitDecodeAttention).
        if (_unsplitDecodeTokenSeconds > 0 && batch.DecodeSequences > 0)
        {
            var turns = Math.Max(1, batch.DecodeSequences * _rankKvHeads / _unsplitDecodeBlocks);
            attention = Math.Max(attention, _attentionLayersPerStage * batch.DecodeAttentionPairs / batch.DecodeSequences * _unsplitDecodeTokenSeconds * turns);
        }

        var weightBytes = _denseWeightBytes;
        if (_experts > 0)
            weightBytes += _moeLayersPerStage * expertsHit * _expertBytes * _expertWeightReadScale;
        var memory = weightBytes / _hbmRate;
        var fused = tokens <= _fusedMaxTokens;
        var elementwise = tokens * _elementwiseBytesPerToken / _hbmRate + (fused ? _kernelFloor : _unfusedKernelFloor) + BlockFp8GemmFloorSeconds(tokens);
        // Under attention DP each rank replays its own graph for its own share of the batch (the busiest rank's).
        var rankSequences = _spec.AttentionDataParallel ? Math.Ceiling((double)batch.Sequences / _spec.TensorParallel) : batch.Sequences;
        var rankTokens = _spec.AttentionDataParallel ? Math.Ceiling(tokens / _spec.TensorParallel) : tokens;
        var graphed = _engine.CudaGraphCoversMixedSteps
            ? rankTokens <= _cudaGraphMaxBatch
            : batch.DecodeSequences == batch.Sequences && rankSequences <= _cudaGraphMaxBatch;
        // vLLM V0's per-sequence host work runs beside the GPU whether the step is graphed or not (EngineSpec.VllmV0).
        var prompt = tokens > batch.DecodeSequences;
        var hostLaunch = (graphed ? 0 : (fused ? _hostLaunch : _unfusedHostLaunch) - (prompt ? 0 : _decodeMixerHostSaving))
            + batch.Sequences * _v0SequenceHost;

        var tpComm = TpCommSeconds(tokens);
        // The masked MHA kernel converts a GQA model's FP8 decode KV once a query head; the HBM still reads it once (the
        // step's KV time is the longer of the two).
        var kvSeconds = kvBytes / _kvReadRate;
        if (_maskedMhaGroup > 1) kvSeconds = Math.Max(kvSeconds, (kvBytes + (_maskedMhaGroup - 1) * decodePairs * _kvBytesPerToken) / _maskedMhaGroupRate);
        return new StepCost(compute, memory, elementwise, tpComm, PpCommSeconds(tokens), OverheadSeconds(batch), _spec.PipelineParallel, hostLaunch, attention, kvSeconds);
    }

    /// <summary>
    /// Exponent joining a step's time with the host's own (<see cref="EngineProfile.MultiprocessHostStepSeconds"/>):
    /// nearly the longer of the two, a little more where they are alike (the host's time varies from step to step).
    /// The join takes it by three squarings and three square roots: another value means another join.
    /// </summary>
    public const double HostStepExponent = 8;

    // A step under async scheduling lasts at least the host's own time for it, and a streaming TensorRT engine's step
    // at least its front end's time for the step's tokens: what the join adds beyond the GPU's step is host time,
    // counted with the step's overhead.
    private StepCost WithHostStepFloor(StepCost cost, int sequences)
    {
        // The host's step and the front end's tokens are separate threads: the step waits for the slower.
        var host = Math.Max(_hostStepFloor + sequences * _hostSequenceFloor, sequences * _frontEndTokenFloor);
        var total = cost.TotalSeconds;
        // (total⁸ + host⁸)^⅛ by squarings and square roots (HostStepExponent), on the simulator's every step.
        var longer = Math.Max(total, host);
        var ratio = Math.Min(total, host) / longer;
        var r2 = ratio * ratio;
        var r4 = r2 * r2;
        var joined = longer * Math.Sqrt(Math.Sqrt(Math.Sqrt(1 + r4 * r4)));
        return cost with { OverheadSeconds = cost.OverheadSeconds + joined - total };
    }

    // GEMM FLOP/s at this many rows per GEMM: the few-row efficiency times 1 + (gain − 1) · rows ÷ (rows + half-rows)
    // (GpuSpec.GemmLargeRowsGain, GemmHalfRows), never above the peak. Every linear layer of the step multiplies the
    // step's tokens, so they are the rows of all its GEMMs (a decode batch: its sequences; a prefill chunk: its tokens).
    private double GemmRate(double rows) =>
        _gemmLargeRowsGain == 1 ? _gemmRate : Math.Min(_gemmPeak, _gemmRate * (1 + (_gemmLargeRowsGain - 1) * rows / (rows + _gemmHalfRows)));

    // Work of the routed experts' grouped GEMMs, at the dense GEMM rate: each expert hit gets its tokens padded to whole
    // tiles of the engine's MoE kernel, fixed or following the rows (ExpertTile, Mxfp4MoeKernels): a tile at least, and
    // about half a tile more than its rows (the last tile is half empty on average), at the grouped-GEMM efficiency,
    // which depends on the expert's width per rank (ExpertGemmWidth) and on the rows per expert where the engine says so:
    // - BF16 experts rise towards a dense GEMM's efficiency: × 1 + (gain − 1) · rows ÷ (rows + half-rows);
    // - block-FP8 experts on Hopper reach the fitted efficiency only from HopperFp8ExpertFullRows rows per expert, and
    //   fewer cost × (rows ÷ full rows)^−exponent, in steps above the small-step tokens (smaller ones run the kernel's
    //   tuned small-batch configs).
    // The two apply to different weight formats, so at most one of them acts on a model.
    private double RoutedFlops(double tokens, double hit)
    {
        if (_experts == 0) return 0;
        var rowsPerExpert = tokens * _expertsPerToken / ExpectedExpertsHit(_experts, _expertsPerToken, tokens);
        // `hit` counts the busiest rank's experts (ExpertParallelLoad), which set the pace; each gets the mean rows.
        // MXFP4 experts on Hopper take matmul_ogs' tile (Marlin's block where the engine runs Marlin), block-FP8 experts
        // under TensorRT-LLM on Hopper DeepGEMM's; elsewhere the engine's (for TensorRT-LLM one that follows the rows, but
        // for per-tensor FP8 experts before Blackwell).
        var tile = _marlinExperts ? Mxfp4MoeKernels.MarlinBlockRows(tokens, _experts, _expertsPerToken)
            : _expertTiles is { } tiles ? Mxfp4MoeKernels.TileRows(tokens, _tileExperts, _expertsPerToken, tiles)
            : _swapAbRows > 0 ? DeepGemmExpertTiles.TokenTile(DeepGemmExpertTiles.ExpectedRows(tokens, _expertsPerToken, _experts, _spec.ExpertParallel), rowsPerExpert, _swapAbRows)
            : ExpertTile(rowsPerExpert);
        // Marlin's dequantize-bound blocks cost by block (Mxfp4MoeKernels). A wide expert's gain (ExpertGemmWidth) stacks on
        // BF16's rise with rows, the two at most a dense GEMM's rate, and speeds the expert's whole tiles, padding included
        // (what each expert pays whatever its width, spread over its columns), but where a small tile's own loss is
        // charged (Blackwell; Hopper FP8 experts whole behind attention DP): that rule was fitted with the padding at the
        // fitted cost.
        var padded = _marlinExperts ? Mxfp4MoeKernels.MarlinCostedRows(tile, rowsPerExpert) : Math.Max(tile, rowsPerExpert + tile / 2.0);
        var rise = _expertHalfRows > 0 ? 1 + (_expertRowsGain - 1) * rowsPerExpert / (rowsPerExpert + _expertHalfRows) : 1;
        var gain = Math.Min(_expertRowsGain, _expertWidthGain * rise);
        var flops = hit * ((padded - rowsPerExpert) / (_tileLosesEfficiency ? rise : gain) + rowsPerExpert / gain) * _routedFlopsPerRow * TileEfficiencyLoss(tile, padded);
        if (_marlinExperts && tile > Mxfp4MoeKernels.MarlinMmaBoundRows) flops /= _marlinMmaBoundScale;
        if (_expertFullRows > 0 && tokens > _expertSmallStepTokens)
            flops /= Math.Pow(Math.Min(1, Math.Max(tile, rowsPerExpert) / _expertFullRows), _expertRowsExponent);
        return flops;
    }

    // The token tile of the step's grouped GEMMs: the engine's fixed tile, or, where its kernels pick the tile by the
    // rows each expert gets (EngineProfile.ExpertTileMinRows), the next power of two above them within its range.
    private double ExpertTile(double rowsPerExpert)
    {
        var largest = _engine.ExpertTileRows;
        return _tileFollowsRows ? ExpertTiles.Covering(rowsPerExpert, _expertTileMinRows, largest) : largest;
    }

    // A tile of t tokens runs at t ÷ (t + half) of a large tile's rate (EngineProfile.ExpertTileHalfRows), relative to
    // the largest tile, at which the grouped-GEMM efficiency was fitted: the factor by which its work costs more. Per
    // k-step the kernel loads a weight block (the half) and multiplies t rows (the 1). Where an expert's first tile's load
    // is its weight read from HBM, which the memory term charges (TensorRT-LLM-gen's FP4 experts), only the tiles after
    // it (1 − tile ÷ padded rows of them) reload here: MXFP4's at every tile, NVFP4's below the largest tile, whose rule
    // was fitted with every load in it (BlackwellFp4Experts.Nvfp4MoeLayerSeconds).
    private double TileEfficiencyLoss(double tile, double padded)
    {
        var half = _tileHalfRows;
        if (half <= 0 || !_tileLosesEfficiency) return 1;
        double largest = _fittedTileRows;
        var firstLoadIsRead = _firstTileLoadIsWeightRead && (_firstTileLoadAtLargestTile || tile < largest);
        var reloads = firstLoadIsRead ? Math.Max(0, 1 - tile / padded) : 1;
        return (1 + half / tile * reloads) * largest / (largest + half);
    }

    // Block-FP8 linear layers below their latency floor: what the dense GEMMs' own time (their weight read, or their
    // math at this many rows) leaves of the floor of all of them, paid on top of the roofline.
    private double BlockFp8GemmFloorSeconds(double tokens) =>
        _blockFp8GemmFloor == 0 ? 0 : Math.Max(0, _blockFp8GemmFloor - Math.Max(_denseWeightBytes / _hbmRate, tokens * _gemmFlopsPerToken / GemmRate(tokens)));

    // Attention DP: ranks step together (the MoE layers exchange tokens every layer), and a prompt chunk is not split
    // across ranks, so the rank holding the step's largest chunk runs its attention block alone while the others
    // wait: beyond the even 1/TP share, that rank's extra projection and attention work adds to the step.
    private double BusiestRankExtraSeconds(in BatchShape batch, double tokens, double prefillPairs)
    {
        if (_rankAttentionFlopsPerToken == 0 || batch.LargestPrefillTokens == 0) return 0;
        var tp = _spec.TensorParallel;
        var extraTokens = Math.Max(0, batch.LargestPrefillTokens - tokens / tp);
        var largestPairs = batch.LargestPrefillPairs;
        if (_sparseTopK > 0) largestPairs *= Math.Min(1, _sparseTopK / (largestPairs / batch.LargestPrefillTokens));
        if (_compressed is not null) largestPairs = _compressed.PairsAttended(largestPairs, batch.LargestPrefillTokens);
        var extraPairs = Math.Max(0, largestPairs - prefillPairs / tp);
        return extraTokens * _rankAttentionFlopsPerToken / GemmRate(batch.LargestPrefillTokens) + extraPairs * tp * _attnFlopsPerPairPrefill / _attnRate;
    }

    // Two FP32 squared sums (q's and k's) per token.
    private const double QkNormBytesPerToken = 2 * 4.0;

    // Per stage: attention's all-reduce in every attention layer (none with attention DP, whose ranks hold whole heads);
    // the MLP's all-reduce in dense layers, and in MoE layers either an all-reduce (experts sharded by TP) or, with
    // expert parallelism, the all-to-all dispatch and combine.
    private double TpCommSeconds(double tokens)
    {
        var tp = _spec.TensorParallel;
        if (tp == 1) return 0;
        var message = tokens * _arBytesPerToken;
        var slowdown = 1 + (1 / _engine.AllReduceSmallEfficiency - 1) * _arHalfBytes / (message + _arHalfBytes);
        var latency = tokens <= _fusedMaxTokens ? _arLatency : _unfusedArLatency;
        var allReduce = latency + 2.0 * (tp - 1) / tp * message / _arRate * slowdown;
        var moeLayers = _moeLayersPerStage;
        // A hybrid model's linear-attention layers all-reduce their output projection as attention layers do.
        var attention = _spec.AttentionDataParallel ? 0 : (_attentionLayersPerStage + _spec.LinearLayersPerStage) * allReduce;
        // q/k normalized over all heads (ModelSpec.QkNormAcrossHeads): each layer also all-reduces two FP32 sums a token
        // across the ranks that split its heads (none with attention DP, whose ranks hold whole heads); latency-bound, and
        // never fused with a residual norm, so always at the unfused latency; a release that normalizes q and k apart
        // (ReleaseDefaults.SplitQkNorm) all-reduces each sum on its own, paying the latency twice.
        if (_spec.Model.QkNormAcrossHeads && !_spec.AttentionDataParallel)
            attention += _attentionLayersPerStage * ((_splitQkNorm ? 2 : 1) * _unfusedArLatency
                + 2.0 * (tp - 1) / tp * tokens * QkNormBytesPerToken / _arRate * (1 / _engine.AllReduceSmallEfficiency));
        // With attention DP, each rank's tokens are gathered for the sharded MLP and scattered back: the same bytes as an
        // all-reduce; an engine that runs the dense MLPs data-parallel (AttentionDpMlp) exchanges nothing in those layers.
        var denseMlp = _mlpDataParallel ? 0 : _denseMlpLayersPerStage * allReduce;
        var mlp = _a2aBytesPerToken > 0
            ? denseMlp + moeLayers * (2 * latency + tokens * _a2aBytesPerToken / _arRate)
            : denseMlp + moeLayers * allReduce;
        return attention + mlp;
    }
}
