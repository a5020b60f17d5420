namespace DisaggServing.Engine.Catalog;

/// <summary>Number format of weights or KV cache.</summary>
public enum DType
{
    /// <summary>bfloat16: 2 bytes.</summary>
    Bf16,

    /// <summary>FP8 (E4M3): 1 byte; FP8 tensor-core FLOPs where the GPU has them.</summary>
    Fp8,

    /// <summary>NVFP4 (E2M1 with one FP8 scale per 16 values): 0.5625 bytes; FP4 tensor-core FLOPs on Blackwell. Weights only.</summary>
    Fp4,

    /// <summary>
    /// MXFP4 (OCP microscaling: E2M1 with one E8M0 scale per 32 values): 0.53125 bytes. The format of OpenAI's gpt-oss
    /// checkpoints, which quantize only the MoE experts: attention, router, embeddings and LM head stay BF16 (see
    /// <see cref="DTypes.NonExpertWeights"/>). Blackwell multiplies it with MXFP8 activations in its block-scaled MMA;
    /// Hopper, which has none, unpacks the weights to BF16 in the MoE kernel (W4A16): see <see cref="GpuSpec.PeakFlops"/>
    /// and <see cref="Performance.Mxfp4MoeKernels"/>. Weights only, MoE models only.
    /// </summary>
    Mxfp4,

    /// <summary>
    /// INT8 W8A8 (SmoothQuant-style, Red Hat's <c>quantized.w8a8</c>): INT8 weights with one scale per output channel,
    /// activations quantized to INT8 per token, multiplied on the INT8 tensor cores, which run at twice BF16's rate on
    /// every catalog GPU, FP8's where it has FP8 (<see cref="GpuSpec.PeakFlops"/>). 1 byte. Weights only as a format: the KV cache stays FP8 or BF16.
    /// </summary>
    Int8,

    /// <summary>
    /// INT4 W4A16 (GPTQ, AWQ, Red Hat's <c>quantized.w4a16</c>): 4-bit weights in groups of 128 with one 16-bit scale
    /// each (0.515625 bytes), activations kept 16-bit: the GEMM (Marlin on Ampere, Machete on Hopper, TensorRT-LLM's
    /// weight-only kernels) unpacks the weights in registers and multiplies at BF16's rate, so it saves weight reads, not
    /// math. Weights only.
    /// </summary>
    Int4,
}
