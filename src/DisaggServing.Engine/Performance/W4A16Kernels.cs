using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// INT4 weight-only GEMMs (<see cref="DType.Int4"/>): Marlin on Ampere, Machete on Hopper (vLLM and SGLang), TensorRT-LLM's
/// weight-only groupwise kernels. They multiply at BF16's rate but unpack every 4-bit weight and apply its group's scale
/// in registers first, so at few rows, where a GEMM only streams its weights, the packed bytes arrive slower than the
/// HBM rate the GPU's other reads reach: each byte costs unpacking work besides its load.
/// </summary>
public static class W4A16Kernels
{
    /// <summary>
    /// Fraction of the GPU's fitted HBM rate at which W4A16 GEMMs stream their packed weights: 0.75 through Marlin on
    /// Ampere, 0.5 through Machete on Hopper, fitted on Red Hat AI's single-stream rows of DeepSeek-R1-Distill-Llama-8B's
    /// w4a16 release under vLLM 0.7.2 (256/128 and 256/1024: 0.8 and 6.4 s on one A100, 0.7 and 5.6 s on one H100, where
    /// streaming at the full rate gives 0.72 and 5.5, 0.52 and 3.9; the H100's w4a16 decode no faster than its FP8 one,
    /// 5.7 s). Blackwell, with no published figure here, takes Hopper's.
    /// </summary>
    public static double WeightStream(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return gpu.Fp8Flops is null ? 0.75 : 0.5;
    }

    /// <summary>
    /// The factor on <paramref name="weights"/>' bytes that makes them stream at <see cref="WeightStream"/>: 1 but for
    /// INT4, and for NVFP4 below Blackwell, which vLLM runs weight-only through the same Marlin unpacking.
    /// </summary>
    public static double WeightReadScale(GpuSpec gpu, DType weights)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return weights == DType.Int4 || weights == DType.Fp4 && gpu.Fp4Flops is null ? 1 / WeightStream(gpu) : 1;
    }
}
