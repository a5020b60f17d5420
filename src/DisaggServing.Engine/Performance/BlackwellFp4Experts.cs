using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// How FP4 experts (MXFP4 and NVFP4) stream from HBM on Blackwell: faster than B200's fitted HBM efficiency
/// (<see cref="Catalog.GpuCatalog.B200"/>), which holds for the rest of its reads. Both formats run the same block-scaled
/// grouped GEMMs there (TensorRT-LLM-gen's, FlashInfer's in vLLM and SGLang; TensorRT-LLM's CUTLASS MoE), a kernel that
/// does little per byte but stream 4-bit weights and their scales.
/// </summary>
public static class BlackwellFp4Experts
{
    /// <summary>
    /// Fraction of the HBM peak at which FP4 experts stream on Blackwell. Fitted on MXFP4: the step time that each further
    /// expert byte adds across InferenceMAX's gpt-oss-120b runs on B200 from 4 to 64 clients (≈15 → ≈111 experts hit per
    /// layer, 45.6 GB more a step on one GPU): vLLM 0.11 at TP1 4.06 → 11.18 ms a token, TensorRT-LLM 1.2 at TP2 3.15 →
    /// 6.73 ms for half the bytes, both ≈6.4 TB/s of 8; at B200's 0.6 the modelled steps rose a third more steeply than
    /// published. NVFP4 takes it unrefitted: InferenceMAX's TensorRT-LLM DeepSeek-R1 FP4 runs on B200 rose too steeply at
    /// 0.6 as well (TP4 ITL from 4 to 32 clients 8.4 → 17.0 ms published, 9.0 → 26.9 modelled; 8.6 → 25.0 at this rate),
    /// and of the 187 figures it moves 134 come closer (docs/calibration.md, Known misses, for the rest of that rise).
    /// </summary>
    public const double WeightStream = 0.8;

    /// <summary>
    /// Fixed time of each MoE layer's NVFP4 experts on TensorRT-LLM-gen's kernels, beyond the layer's kernel floor and the
    /// experts' weight stream. Below the largest tile the kernel's first load of an expert's weights is that stream (as
    /// MXFP4's), not a reload on top of it; its fixed work (routing, the activations' FP4 quantization, permutation, the
    /// two grouped GEMMs' pipeline fill, the finalize) is this. Fitted on InferenceMAX's TensorRT-LLM 1.1 DeepSeek-R1 FP4
    /// runs on B200, whose ITL rose from 4 to 32 clients as the extra experts' bytes stream (TP4: 8.4 → 17.0 ms published,
    /// 8.6 → 25.0 modelled when every load was a reload, 7.4 → 17.8 with none and no fixed time): 15, 25 and 35 µs took
    /// the held-out median to 6.756, 6.753 and 6.767% (from 6.813%), 25 µs leaving every checked row within 15%.
    /// </summary>
    public const double Nvfp4MoeLayerSeconds = 25e-6;

    /// <summary>
    /// The fixed time each MoE layer of <paramref name="spec"/> pays for its FP4 experts on TensorRT-LLM-gen's kernels
    /// (<paramref name="trtllmGenKernels"/>: the kernels whose few-row loss the step model charges): NVFP4's in every
    /// engine (<see cref="Nvfp4MoeLayerSeconds"/>), MXFP4's as the engine's path to the kernel costs it
    /// (<see cref="EngineProfile.Mxfp4MoeLayerSeconds"/>); none on CUTLASS's MoE or elsewhere.
    /// </summary>
    public static double MoeLayerSeconds(EngineSpec spec, bool trtllmGenKernels)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!trtllmGenKernels || spec.MoeBackend == MoeBackend.Cutlass) return 0;
        return spec.WeightDtype switch
        {
            DType.Fp4 => Nvfp4MoeLayerSeconds,
            DType.Mxfp4 => spec.Engine.Mxfp4MoeLayerSeconds,
            _ => 0,
        };
    }

    /// <summary>True when experts of <paramref name="weights"/> on <paramref name="gpu"/> stream at <see cref="WeightStream"/>: FP4 on Blackwell.</summary>
    public static bool StreamAtOwnRate(GpuSpec gpu, DType weights) => (weights is DType.Mxfp4 or DType.Fp4) && gpu.Fp4Flops is not null;
}
