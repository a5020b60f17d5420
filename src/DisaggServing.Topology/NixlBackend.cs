namespace DisaggServing.Topology;

/// <summary>The NIXL transport plugin vLLM's NixlConnector uses for KV transfer.</summary>
public enum NixlBackend
{
    /// <summary>UCX, NIXL's default; it has no EFA transport, so across EC2 nodes it falls back to TCP.</summary>
    Ucx,

    /// <summary>Libfabric with the <c>efa</c> provider: GPUDirect RDMA over EFA.</summary>
    Libfabric,
}
