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
}
