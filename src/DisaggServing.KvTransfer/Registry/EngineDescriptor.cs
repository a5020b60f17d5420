namespace DisaggServing.KvTransfer.Registry;

/// <summary>What an engine tells the registry about itself when it registers (immutable copy of the wire message).</summary>
/// <param name="EngineId">Unique id of the engine replica.</param>
/// <param name="Role">One of <see cref="EngineRoles"/>, lower case.</param>
/// <param name="Model">Served model name.</param>
/// <param name="Node">Virtual node (local) or Kubernetes node.</param>
/// <param name="GpuIndices">GPU indices on the node.</param>
/// <param name="TpSize">Tensor-parallel size.</param>
/// <param name="HttpAddress">OpenAI/vLLM surface, e.g. <c>http://127.0.0.1:5001</c>.</param>
/// <param name="KvHost">Host of the KV side channel.</param>
/// <param name="KvPort">Port of the KV side channel.</param>
/// <param name="BlockSize">Tokens per KV block.</param>
public sealed record EngineDescriptor(
    string EngineId,
    string Role,
    string Model,
    string Node,
    IReadOnlyList<int> GpuIndices,
    int TpSize,
    string HttpAddress,
    string KvHost,
    int KvPort,
    int BlockSize);
