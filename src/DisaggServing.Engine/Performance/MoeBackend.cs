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
    /// TensorRT-LLM's CUTLASS MoE for MXFP4 or NVFP4 experts on Blackwell (<c>moe_config.backend: CUTLASS</c>, the default
    /// before TensorRT-LLM made its TRTLLM-gen MoE gpt-oss's on Blackwell, and its max-throughput recipe with attention DP
    /// through 1.1, DeepSeek-R1 FP4's too): grouped GEMMs on the engine's fixed token tile, which a few rows per expert pad
    /// out, not TRTLLM-gen's tile that follows the rows (<see cref="Mxfp4MoeKernels"/>).
    /// </summary>
    Cutlass,

    /// <summary>
    /// FlashInfer's TensorRT-LLM-gen MoE for MXFP4 experts on Blackwell with BF16 activations (W4A16: the weights
    /// widened to BF16 for BF16 MMAs): vLLM's default there (<c>FLASHINFER_TRTLLM_MXFP4_BF16</c>, <c>--moe-backend
    /// flashinfer_trtllm</c>), SGLang's <c>--flashinfer-mxfp4-moe-precision bf16</c>.
    /// </summary>
    FlashinferBf16,

    /// <summary>
    /// The same kernel with the activations quantized to MXFP8 (MXFP8 × MXFP4 MMAs at FP8's rate): vLLM's
    /// <c>VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8=1</c> (<c>--moe-backend flashinfer_trtllm_afp8</c>), SGLang's default
    /// precision, and what TensorRT-LLM's TRTLLM MoE runs by default on Blackwell (W4A8_MXFP4_MXFP8).
    /// </summary>
    FlashinferMxfp8,
}

/// <summary>The CLI spellings of <see cref="MoeBackend"/>.</summary>
public static class MoeBackends
{
    /// <summary>How <c>--moe-backend</c> names <paramref name="backend"/>.</summary>
    public static string Name(MoeBackend backend) => backend switch
    {
        MoeBackend.Marlin => "marlin",
        MoeBackend.Cutlass => "cutlass",
        MoeBackend.FlashinferBf16 => "flashinfer-bf16",
        _ => "flashinfer-mxfp8",
    };

    /// <summary>The backend <paramref name="text"/> names (vLLM's own <c>flashinfer_trtllm</c> and <c>flashinfer_trtllm_afp8</c> too), null for <c>auto</c>.</summary>
    public static MoeBackend? Parse(string text) => text.Trim().ToLowerInvariant().Replace('_', '-') switch
    {
        "auto" => null,
        "marlin" => MoeBackend.Marlin,
        "cutlass" => MoeBackend.Cutlass,
        "flashinfer-bf16" or "flashinfer-trtllm" => MoeBackend.FlashinferBf16,
        "flashinfer-mxfp8" or "flashinfer-trtllm-afp8" => MoeBackend.FlashinferMxfp8,
        _ => throw new InputException($"--moe-backend '{text}' is not known; use auto, marlin, cutlass, flashinfer-bf16 or flashinfer-mxfp8."),
    };
}
