namespace DisaggServing.Engine.Performance;

/// <summary>The path KV takes from a prefill GPU to a decode GPU.</summary>
public enum LinkKind
{
    /// <summary>Both replicas share a node: GPU to GPU over NVLink.</summary>
    NvLink,

    /// <summary>Different nodes: GPUDirect RDMA over EFA, the node's EFA bandwidth shared by its GPUs.</summary>
    Efa,
}
