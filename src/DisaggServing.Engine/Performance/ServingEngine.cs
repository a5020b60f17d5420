namespace DisaggServing.Engine.Performance;

/// <summary>The serving engine a replica runs; each has its own <see cref="EngineProfile"/>.</summary>
public enum ServingEngine
{
    /// <summary>vLLM V1 (what our manifests run).</summary>
    Vllm,

    /// <summary>SGLang.</summary>
    Sglang,

    /// <summary>TensorRT-LLM (PyTorch backend; also what NVIDIA NIM runs).</summary>
    Trtllm,
}
