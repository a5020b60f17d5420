namespace DisaggServing.Engine.Performance;

/// <summary>
/// An MoE kernel picked with <c>--moe-backend</c> where an engine runs another by default and the model costs the two
/// differently; <see cref="EngineSpec.MoeBackend"/> null takes the engine's choice for the GPU.
/// </summary>
public enum MoeBackend
{
    /// <summary>
    /// vLLM's Marlin MoE (W4A16) for MXFP4 experts on Hopper or A100 rather than Triton's matmul_ogs: vLLM's
    /// VLLM_MXFP4_USE_MARLIN=1, and its choice on Hopper before 0.11.1, which did not install triton_kernels.
    /// </summary>
    Marlin,

    /// <summary>
    /// TensorRT-LLM's CUTLASS MoE for MXFP4 experts on Blackwell (<c>moe_config.backend: CUTLASS</c>, the default before
    /// TensorRT-LLM made its TRTLLM-gen MoE gpt-oss's on Blackwell, and its max-throughput recipe with attention DP
    /// through 1.1): grouped GEMMs on the engine's fixed token tile, which a few rows per expert pad out, not
    /// TRTLLM-gen's tile that follows the rows (<see cref="Mxfp4MoeKernels"/>).
    /// </summary>
    Cutlass,
}
