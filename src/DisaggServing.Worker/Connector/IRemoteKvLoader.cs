namespace DisaggServing.Worker.Connector;

/// <summary>
/// The worker-side role of the KV connector: loads the blocks that a decode's <c>kv_transfer_params</c> name on a
/// remote prefill engine into the decode's local blocks, and says what the engine must do next under vLLM's
/// <c>kv_load_failure_policy</c>.
/// </summary>
public interface IRemoteKvLoader
{
    /// <summary>
    /// Loads the blocks of <paramref name="plan"/>. Failures come back as an outcome; cancellation (the request was
    /// aborted) as an <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<RemoteKvLoad> LoadAsync(KvPullPlan plan, CancellationToken cancellationToken);
}
