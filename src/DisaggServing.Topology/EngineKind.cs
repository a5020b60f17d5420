namespace DisaggServing.Topology;

/// <summary>Which server runs in engine pods.</summary>
public enum EngineKind
{
    /// <summary>vLLM's OpenAI server (<c>vllm/vllm-openai</c>) on real GPUs.</summary>
    Vllm,

    /// <summary>Our simulated Worker: the same HTTP surface on CPU nodes, for a GPU-free staging cluster.</summary>
    Worker,
}
