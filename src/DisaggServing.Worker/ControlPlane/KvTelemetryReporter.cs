using System.Threading.Channels;
using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using Grpc.Core;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>
/// Sends transfer and lease events to the KV-transfer service's KvTelemetry in the background. Reports queue in
/// a bounded buffer (oldest dropped) and a failed send is dropped: telemetry never slows serving.
/// </summary>
public sealed class KvTelemetryReporter(KvTransferConnection connection, WorkerSettings settings, ILogger<KvTelemetryReporter> logger)
    : BackgroundService, IKvTelemetrySink
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _reports = Channel.CreateBounded<object>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void ReportTransfer(TransferReport report) => _reports.Writer.TryWrite(report);

    public void ReportLease(string leaseId, LeaseEvent leaseEvent, int blocks) =>
        _reports.Writer.TryWrite(new LeaseReport { EngineId = settings.EngineId, RequestId = leaseId, Event = leaseEvent, Blocks = blocks });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var report in _reports.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var deadline = DateTime.UtcNow + CallTimeout;
                    if (report is TransferReport transfer)
                        await connection.Telemetry.ReportTransferAsync(transfer, deadline: deadline, cancellationToken: stoppingToken).ConfigureAwait(false);
                    else if (report is LeaseReport lease)
                        await connection.Telemetry.ReportLeaseAsync(lease, deadline: deadline, cancellationToken: stoppingToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug("Dropped a KV telemetry report: {Status}", e.Status);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
