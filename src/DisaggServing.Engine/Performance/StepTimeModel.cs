using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Roofline time of one engine iteration on one replica. Per pipeline stage and per GPU: compute = GEMM FLOPs
/// at the weight dtype's tensor peak × GEMM efficiency + attention FLOPs at BF16 peak × attention efficiency;
/// memory = weights read once (MoE: only the experts the step's tokens hit) + KV read per sequence, at HBM
/// bandwidth × efficiency; the stage takes the larger, plus two all-reduces per layer over NVLink. Stages run
/// in turn (no micro-batch interleaving: PP adds capacity, not speed) with hand-offs over EFA; a host overhead
/// per step and per sequence is added. Approximations: no GEMM-shape effects, no DSA sparsity discount.
/// </summary>
public sealed class StepTimeModel : IStepTimeModel
{
    private readonly EngineSpec _spec;
    private readonly EngineOverheads _overheads;
    private readonly double _stageShare, _gemmFlopsPerToken, _lmHeadFlopsPerSeq;
    private readonly double _attnFlopsPerPairPrefill, _attnFlopsPerPairDecode;
    private readonly double _gemmRate, _attnRate, _hbmRate, _kvBytesPerToken;
    private readonly double _denseWeightBytes, _expertBytes, _moeLayersPerStage;
    private readonly double _arLatency, _arBytesPerToken, _arRate, _ppLatency, _ppRate;
    private readonly double _elementwiseBytesPerToken, _kernelFloor;
    private readonly int _experts, _expertsPerToken;

    /// <summary>Hidden-state passes through HBM per token and layer outside the GEMMs (2 norms in/out, 2 residual adds, RoPE, quantize).</summary>
    public const double ElementwiseHiddenPasses = 8;

    /// <summary>MLP-intermediate passes per token and layer outside the GEMMs (read gate and up, write the activation).</summary>
    public const double ElementwiseMlpPasses = 3;

    /// <summary>Latency of one pipeline hand-off between nodes (EFA RDMA write plus completion).</summary>
    public const double EfaLatencySeconds = 25e-6;

    /// <summary>Builds the model for <paramref name="spec"/> (validated here) and the given host overheads.</summary>
    public StepTimeModel(EngineSpec spec, EngineOverheads? overheads = null, InstanceTypeSpec? instance = null)
    {
        _spec = spec.Validate();
        _overheads = overheads ?? EngineOverheads.Default;
        var m = spec.Model;
        var gpu = spec.Gpu;
        int tp = spec.TensorParallel;
        _stageShare = (double)spec.LayersPerStage / m.Layers;

        _gemmFlopsPerToken = 2 * m.ActiveLayerParamsPerToken * _stageShare / tp;
        _lmHeadFlopsPerSeq = 2 * m.LmHeadParams / tp;
        _attnFlopsPerPairPrefill = m.AttentionFlopsPerPair(decode: false) * spec.LayersPerStage / tp;
        _attnFlopsPerPairDecode = m.AttentionFlopsPerPair(decode: true) * spec.LayersPerStage / tp;
        _gemmRate = gpu.PeakFlops(spec.WeightDtype) * gpu.GemmEfficiency;
        _attnRate = gpu.Bf16Flops * gpu.AttentionEfficiency;
        _hbmRate = gpu.HbmBandwidth * gpu.HbmEfficiency;
        _kvBytesPerToken = MemoryModel.KvBytesPerTokenPerGpu(spec);

        var wb = spec.WeightDtype.Bytes();
        var denseParams = m.Layers * m.AttentionParamsPerLayer + m.DenseLayers * m.DenseMlpParams
            + (m.Moe is { } moe ? m.MoeLayers * (moe.SharedExperts * m.ExpertParams + (double)m.Hidden * moe.RoutedExperts) : 0);
        _denseWeightBytes = (denseParams * _stageShare * wb + m.LmHeadParams * 2) / tp;
        _expertBytes = m.ExpertParams * wb / tp;
        _moeLayersPerStage = m.MoeLayers * _stageShare;
        _experts = m.Moe?.RoutedExperts ?? 0;
        _expertsPerToken = m.Moe?.ExpertsPerToken ?? 0;

        // Norms, residual adds, RoPE, activation and quantize kernels stream each token's hidden state and MLP
        // intermediates through HBM between the GEMMs; they run between them, not overlapped with them.
        var mlpLocal = (m.Moe is { } mo ? (mo.ExpertsPerToken + mo.SharedExperts) * mo.ExpertFfn : m.Ffn) / (double)tp;
        _elementwiseBytesPerToken = spec.LayersPerStage * (ElementwiseHiddenPasses * m.Hidden + ElementwiseMlpPasses * mlpLocal) * 2.0;
        _kernelFloor = spec.LayersPerStage * gpu.LayerKernelFloorSeconds;

        _arLatency = tp > 1 ? gpu.CollectiveLatencySeconds : 0;
        _arBytesPerToken = m.Hidden * 2.0; // BF16 activations
        _arRate = gpu.NvlinkBandwidth * gpu.NvlinkEfficiency;
        var node = instance ?? InstanceCatalog.All.Values.FirstOrDefault(i => i.Gpu.Id == gpu.Id);
        _ppRate = node?.EfaBytesPerSecondPerGpu ?? 50e9;
        _ppLatency = EfaLatencySeconds;
    }

    /// <summary>The engine this model times.</summary>
    public EngineSpec Spec => _spec;

    /// <inheritdoc />
    public double StepSeconds(in BatchShape batch) => batch.IsEmpty ? 0 : Cost(batch).TotalSeconds;

    /// <summary>The parts of one iteration's time for <paramref name="batch"/>.</summary>
    public StepCost Cost(in BatchShape batch)
    {
        if (batch.IsEmpty) return default;
        double tokens = batch.NewTokens;
        var prefillPairs = batch.AttentionPairs - batch.DecodeAttentionPairs;
        var compute = (tokens * _gemmFlopsPerToken + batch.Sequences * _lmHeadFlopsPerSeq) / _gemmRate
            + (prefillPairs * _attnFlopsPerPairPrefill + batch.DecodeAttentionPairs * _attnFlopsPerPairDecode) / _attnRate;

        var weightBytes = _denseWeightBytes;
        if (_experts > 0)
        {
            // Expected distinct experts hit when each token picks k of E uniformly: E·(1 − (1 − k/E)^T).
            var hit = _experts * (1 - Math.Pow(1 - (double)_expertsPerToken / _experts, tokens));
            weightBytes += _moeLayersPerStage * hit * _expertBytes;
        }
        var memory = (weightBytes + batch.KvTokensRead * _kvBytesPerToken) / _hbmRate;
        var elementwise = tokens * _elementwiseBytesPerToken / _hbmRate + _kernelFloor;

        var tp = _spec.TensorParallel;
        var tpComm = tp == 1 ? 0
            : 2 * _spec.LayersPerStage * (_arLatency + 2.0 * (tp - 1) / tp * tokens * _arBytesPerToken / _arRate);
        var pp = _spec.PipelineParallel;
        var ppComm = (pp - 1) * (_ppLatency + tokens * _arBytesPerToken / _ppRate);
        var overhead = _overheads.StepSeconds + batch.Sequences * _overheads.PerSequenceSeconds;
        return new StepCost(compute, memory, elementwise, tpComm, ppComm, overhead, pp);
    }
}
