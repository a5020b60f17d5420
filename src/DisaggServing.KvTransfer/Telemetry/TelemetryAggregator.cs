namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>
/// Aggregates the engines' transfer and lease reports: counts, bytes, a duration histogram, failures, lease grants,
/// extensions, releases and expirations. Thread-safe. Bytes and durations count successful transfers only (as
/// vLLM's <c>nixl_bytes_transferred</c> and <c>nixl_xfer_time_seconds</c> do); failures are counted apart.
/// </summary>
public sealed class TelemetryAggregator
{
    private readonly Lock _gate = new();
    private readonly ITelemetryObserver[] _observers;
    private readonly DurationHistogram _durations = new(DurationHistogram.TransferBuckets);
    private long _transfers;
    private long _failed;
    private long _bytes;
    private long _granted;
    private long _extended;
    private long _released;
    private long _expired;
    private long _leasedBlocks;

    /// <summary>Creates an empty aggregator that forwards accepted reports to <paramref name="observers"/>.</summary>
    public TelemetryAggregator(IEnumerable<ITelemetryObserver>? observers = null)
    {
        _observers = observers?.ToArray() ?? [];
    }

    /// <summary>Adds one transfer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative bytes, or a negative or non-finite duration.</exception>
    public void RecordTransfer(in TransferRecord transfer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(transfer.Bytes, nameof(transfer));
        if (!double.IsFinite(transfer.DurationSeconds) || transfer.DurationSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(transfer), transfer.DurationSeconds, "duration_seconds must be finite and non-negative.");
        lock (_gate)
        {
            _transfers++;
            if (transfer.Success)
            {
                _bytes += transfer.Bytes;
                _durations.Observe(transfer.DurationSeconds);
            }
            else
            {
                _failed++;
            }
        }

        foreach (var observer in _observers)
            observer.TransferRecorded(transfer);
    }

    /// <summary>Adds one lease event covering <paramref name="blocks"/> blocks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown kind or negative blocks.</exception>
    public void RecordLease(LeaseEventKind kind, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        lock (_gate)
        {
            switch (kind)
            {
                case LeaseEventKind.Granted:
                    _granted++;
                    _leasedBlocks += blocks;
                    break;
                case LeaseEventKind.Extended:
                    _extended++;
                    break;
                case LeaseEventKind.Released:
                    _released++;
                    break;
                case LeaseEventKind.Expired:
                    _expired++;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown lease event.");
            }
        }

        foreach (var observer in _observers)
            observer.LeaseRecorded(kind, blocks);
    }

    /// <summary>A consistent copy of the totals.</summary>
    public TelemetrySnapshot Snapshot()
    {
        lock (_gate)
        {
            var durations = _durations.Snapshot();
            return new TelemetrySnapshot(
                _transfers, _failed, _bytes, durations.Sum, durations,
                _granted, _extended, _released, _expired, _leasedBlocks);
        }
    }
}
