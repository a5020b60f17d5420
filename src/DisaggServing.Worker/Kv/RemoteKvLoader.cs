using DisaggServing.Engine.Scheduling;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The engine's <see cref="IRemoteKvLoader"/>: pulls the blocks with <see cref="KvPuller"/> and applies
/// Worker:KvLoadFailurePolicy to a failed pull.
/// </summary>
public sealed class RemoteKvLoader(KvPuller puller, WorkerSettings settings) : IRemoteKvLoader
{
    /// <inheritdoc />
    public async Task<RemoteKvLoad> LoadAsync(KvPullPlan plan, CancellationToken cancellationToken)
    {
        KvPullResult result;
        try
        {
            result = await puller.PullAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Any other fault of the pull is a failed load, handled by the policy like any other.
            result = KvPullResult.Failed(e.Message);
        }
        if (result.Success)
            return RemoteKvLoad.Loaded;
        var outcome = settings.KvLoadFailurePolicy == KvLoadFailurePolicy.Fail ? RemoteKvLoadOutcome.Fail : RemoteKvLoadOutcome.Recompute;
        return new RemoteKvLoad(outcome, result.Error);
    }
}
