using DisaggServing.Worker.Connector;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// One pull as a transport sees it: the checked kv_transfer_params of <see cref="Plan"/> and the puller's hooks for
/// what is not the transport's business (metrics, the link-time model).
/// </summary>
/// <param name="Plan">The pull.</param>
/// <param name="Host">The prefill's KV side channel host.</param>
/// <param name="Port">Its port.</param>
/// <param name="LeaseId">The lease (the prefill's request id).</param>
/// <param name="RemoteEngineId">The prefill engine, whose id seeds the payload.</param>
/// <param name="BlockIds">The lease's block ids, one per local prompt block.</param>
/// <param name="Chosen">Called once the transport takes the pull (before it asks the peer for blocks).</param>
/// <param name="Elapsed">Engine time since the pull started, for the result's duration.</param>
/// <param name="WaitLinkTimeAsync">Waits the modelled link time, given the prefill's node and link slowdown.</param>
public sealed record KvTransportPull(
    KvPullPlan Plan,
    string Host,
    int Port,
    string LeaseId,
    string RemoteEngineId,
    IReadOnlyList<int> BlockIds,
    Action Chosen,
    Func<TimeSpan> Elapsed,
    Func<string?, double, CancellationToken, Task> WaitLinkTimeAsync);
