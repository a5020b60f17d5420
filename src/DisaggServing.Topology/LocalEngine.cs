namespace DisaggServing.Topology;

/// <summary>What runs each replica of a local run (<c>Topology:Local:Engine</c>).</summary>
public enum LocalEngine
{
    /// <summary>Our Worker on simulated GPUs: no GPU, no vLLM needed.</summary>
    Simulated,

    /// <summary>A real <c>vllm serve</c> process per replica on this machine's GPUs (found with <c>nvidia-smi</c>).</summary>
    Vllm,
}
