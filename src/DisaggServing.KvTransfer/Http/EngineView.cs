namespace DisaggServing.KvTransfer.Http;

/// <summary>One engine in <c>GET /engines</c>.</summary>
public sealed record EngineView(
    string EngineId,
    string Role,
    string Model,
    string Node,
    IReadOnlyList<int> GpuIndices,
    int TpSize,
    string HttpAddress,
    string KvHost,
    int KvPort,
    int BlockSize,
    EngineLoadView Load,
    double SecondsSinceHeartbeat,
    int IndexedBlocks);
