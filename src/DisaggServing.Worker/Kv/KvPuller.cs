using System.Diagnostics;
using DisaggServing.Engine.Performance;
using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.Observability;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The decode side of a KV transfer (NIXL's READ): checks the prefill's kv_transfer_params, picks the first
/// <see cref="IKvTransport"/> that takes the pull (the raw-TCP data channel, else gRPC), which streams and verifies
/// the leased blocks, waits the simulated link time (NVLink on one node, EFA across nodes, from the Engine's
/// <see cref="KvTransferModel"/>) and releases the prefill's lease. Records every pull. The transports come in
/// order of preference; the last is the one every peer speaks, and carries the lease release of a failed pull.
/// </summary>
public sealed class KvPuller(
    WorkerSettings settings,
    IEnumerable<IKvTransport> transports,
    TimeProvider time,
    WorkerMetrics metrics,
    IKvTelemetrySink telemetry,
    FaultState faults,
    ILogger<KvPuller> logger)
{
    private readonly IKvTransport[] _transports = [.. transports];

    /// <summary>Pulls the blocks of <paramref name="plan"/>; failures come back as a result, cancellation as an exception.</summary>
    public async Task<KvPullResult> PullAsync(KvPullPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var start = time.GetTimestamp();
        using var activity = WorkerActivity.Source.StartActivity("kv_pull", ActivityKind.Client, plan.Parent);
        activity?.SetTag("disagg.request_id", plan.ClientRequestId);
        activity?.SetTag("disagg.kv.remote_engine_id", plan.Remote.RemoteEngineId);
        activity?.SetTag("disagg.kv.remote_request_id", plan.Remote.RemoteRequestId);
        activity?.SetTag("disagg.kv.blocks", plan.LocalBlocks - plan.CachedBlocks);
        KvPullResult result;
        var reachable = false;
        try
        {
            (result, reachable) = await PullCoreAsync(plan, start, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "aborted");
            ReleaseInBackground(plan);
            throw;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or FormatException or InvalidDataException)
        {
            result = KvPullResult.Failed($"KV pull from {plan.Remote.RemoteHost}:{plan.Remote.RemotePort} failed: {e.Message}", time.GetElapsedTime(start));
        }
        if (!result.Success && reachable)
            ReleaseInBackground(plan);
        Record(plan, result, activity);
        return result;
    }

    private async Task<KvTransportResult> PullCoreAsync(KvPullPlan plan, long start, CancellationToken cancellationToken)
    {
        var remote = plan.Remote;
        if (string.IsNullOrEmpty(remote.RemoteHost) || remote.RemotePort is not { } port || string.IsNullOrEmpty(remote.RemoteRequestId)
            || string.IsNullOrEmpty(remote.RemoteEngineId) || remote.RemoteBlockIds is not [{ } blockIds, ..])
            return new(KvPullResult.Failed("kv_transfer_params lack remote_host, remote_port, remote_engine_id, remote_request_id or remote_block_ids."), false);
        if (blockIds.Count != plan.LocalBlocks)
            return new(KvPullResult.Failed($"remote_block_ids has {blockIds.Count} blocks but the {plan.PromptTokens}-token prompt needs {plan.LocalBlocks}."), false);
        if (faults.TryConsumeFailNextTransfer())
            return new(KvPullResult.Failed("Injected fault: fail_next_kv_transfer."), true); // the peer is fine: release its lease

        foreach (var transport in _transports)
        {
            var pull = new KvTransportPull(plan, remote.RemoteHost, port, remote.RemoteRequestId, remote.RemoteEngineId, blockIds,
                Chosen: () => Chosen(transport, plan),
                Elapsed: () => time.GetElapsedTime(start),
                WaitLinkTimeAsync: (node, slowdown, ct) => WaitLinkTimeAsync(transport, plan, node, slowdown, ct));
            if (await transport.PullAsync(pull, cancellationToken).ConfigureAwait(false) is { } pulled)
                return pulled;
        }
        return new(KvPullResult.Failed($"No KV transport reaches {remote.RemoteHost}:{port}."), false);
    }

    /// <summary>
    /// Waits the modelled link time; the prefill's blocks are being read for all of it, so a long wait first extends
    /// the lease.
    /// </summary>
    private async Task WaitLinkTimeAsync(IKvTransport transport, KvPullPlan plan, string? remoteNode, double remoteSlowdown, CancellationToken cancellationToken)
    {
        var seconds = SimulatedSeconds(plan, remoteNode, remoteSlowdown);
        if (seconds <= 0)
            return;
        if (seconds > 1)
            await transport.ExtendLeaseAsync(plan.Remote.RemoteHost!, plan.Remote.RemotePort!.Value, plan.Remote.RemoteRequestId!, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(seconds), time, cancellationToken).ConfigureAwait(false);
    }

    private void Chosen(IKvTransport transport, KvPullPlan plan)
    {
        metrics.KvPullTransport.WithLabels(transport.Name).Inc();
        Activity.Current?.SetTag("disagg.kv.transport", transport.Name);
        logger.LogDebug("KV pull for {RequestId} from {RemoteEngine} over {Transport}", plan.ClientRequestId ?? plan.RequestId, plan.Remote.RemoteEngineId, transport.Name);
    }

    /// <summary>Simulated link time for the pulled tokens; 0 for an instant engine.</summary>
    private double SimulatedSeconds(KvPullPlan plan, string? remoteNode, double remoteSlowdown)
    {
        if (settings.InstantEngine)
            return 0;
        var link = string.Equals(remoteNode, settings.Node, StringComparison.Ordinal) ? LinkKind.NvLink : LinkKind.Efa;
        var model = new KvTransferModel(settings.Spec, settings.Spec, link);
        var tokens = Math.Max(0, plan.PromptTokens - plan.CachedBlocks * settings.BlockSize);
        return model.TransferSeconds(tokens) * Math.Max(faults.LinkSlowdown, 0) * Math.Max(remoteSlowdown, 0);
    }

    private void Record(KvPullPlan plan, KvPullResult result, Activity? activity)
    {
        metrics.XferTime.Observe(result.Duration.TotalSeconds);
        metrics.KvPulls.WithLabels(result.Success ? "success" : "failed").Inc();
        if (result.Success)
        {
            metrics.BytesTransferred.Inc(result.RealBytes);
            metrics.PayloadBytes.Inc(result.PayloadBytes);
            activity?.SetTag("disagg.kv.bytes", result.RealBytes);
            activity?.SetTag("disagg.kv.payload_bytes", result.PayloadBytes);
        }
        else
        {
            metrics.FailedTransfers.Inc();
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
            logger.LogWarning("KV pull for {RequestId} from {RemoteEngine} failed: {Error}", plan.ClientRequestId ?? plan.RequestId, plan.Remote.RemoteEngineId, result.Error);
        }
        telemetry.ReportTransfer(new TransferReport
        {
            RequestId = plan.ClientRequestId ?? plan.RequestId,
            SourceEngineId = plan.Remote.RemoteEngineId ?? "",
            TargetEngineId = settings.EngineId,
            Bytes = result.RealBytes,
            DurationSeconds = result.Duration.TotalSeconds,
            Success = result.Success,
            Error = result.Error ?? "",
        });
    }

    /// <summary>Best effort: frees the prefill's blocks now rather than at lease expiry.</summary>
    private void ReleaseInBackground(KvPullPlan plan)
    {
        var remote = plan.Remote;
        if (string.IsNullOrEmpty(remote.RemoteHost) || remote.RemotePort is not { } port || string.IsNullOrEmpty(remote.RemoteRequestId)
            || _transports.Length == 0)
            return;
        var transport = _transports[^1];
        _ = Task.Run(() => transport.ReleaseLeaseAsync(remote.RemoteHost, port, remote.RemoteRequestId, CancellationToken.None));
    }
}
