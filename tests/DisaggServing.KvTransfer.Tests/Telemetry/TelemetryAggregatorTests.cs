using DisaggServing.KvTransfer.Telemetry;

namespace DisaggServing.KvTransfer.Tests.Telemetry;

public class TelemetryAggregatorTests
{
    [Fact]
    public void Starts_at_zero()
    {
        var snapshot = new TelemetryAggregator().Snapshot();

        Assert.Equal(0, snapshot.Transfers);
        Assert.Equal(0, snapshot.Durations.Count);
        Assert.Equal(0, snapshot.OpenLeases);
        Assert.Equal(0, snapshot.Durations.Quantile(0.99));
    }

    [Fact]
    public void Transfers_count_bytes_and_durations_of_successes_and_failures_apart()
    {
        var aggregator = new TelemetryAggregator();
        aggregator.RecordTransfer(new TransferRecord("p0", "d0", 1000, 0.002, true));
        aggregator.RecordTransfer(new TransferRecord("p0", "d1", 3000, 0.004, true));
        aggregator.RecordTransfer(new TransferRecord("p1", "d0", 500, 1.5, false));

        var snapshot = aggregator.Snapshot();

        Assert.Equal(3, snapshot.Transfers);
        Assert.Equal(1, snapshot.FailedTransfers);
        Assert.Equal(4000, snapshot.Bytes);
        Assert.Equal(0.006, snapshot.TransferSeconds, 12);
        Assert.Equal(2, snapshot.Durations.Count);
        Assert.Equal(0.003, snapshot.Durations.Mean, 12);
    }

    [Fact]
    public void Durations_fall_into_their_buckets()
    {
        var aggregator = new TelemetryAggregator();
        foreach (var seconds in new[] { 0.0005, 0.0006, 0.003, 20.0 })
            aggregator.RecordTransfer(new TransferRecord("p", "d", 1, seconds, true));

        var durations = aggregator.Snapshot().Durations;

        Assert.Equal(DurationHistogram.TransferBuckets.Count + 1, durations.Counts.Count);
        Assert.Equal(1, durations.Counts[0]); // ≤ 0.5 ms (bounds are inclusive)
        Assert.Equal(1, durations.Counts[1]); // ≤ 1 ms
        Assert.Equal(1, durations.Counts[3]); // ≤ 5 ms
        Assert.Equal(1, durations.Counts[^1]); // beyond 10 s
        Assert.Equal(4, durations.Counts.Sum());
    }

    [Fact]
    public void Quantiles_interpolate_inside_buckets()
    {
        var histogram = new DurationHistogram([1, 2, 4]);
        for (var i = 0; i < 50; i++)
            histogram.Observe(0.5);
        for (var i = 0; i < 50; i++)
            histogram.Observe(3);

        var snapshot = histogram.Snapshot();

        Assert.Equal(1.0, snapshot.Quantile(0.5), 12);
        Assert.Equal(3.0, snapshot.Quantile(0.75), 12);
        Assert.Equal(4.0, snapshot.Quantile(1), 12);
        histogram.Observe(100);
        Assert.Equal(4.0, histogram.Snapshot().Quantile(1), 12);
    }

    [Fact]
    public void Histogram_bounds_must_ascend() =>
        Assert.Throws<ArgumentException>(() => new DurationHistogram([1, 1]));

    [Theory]
    [InlineData(-1L, 0.1)]
    [InlineData(1L, -0.1)]
    [InlineData(1L, double.NaN)]
    [InlineData(1L, double.PositiveInfinity)]
    public void Nonsense_transfers_are_rejected_and_not_counted(long bytes, double seconds)
    {
        var aggregator = new TelemetryAggregator();

        Assert.Throws<ArgumentOutOfRangeException>(() => aggregator.RecordTransfer(new TransferRecord("p", "d", bytes, seconds, true)));
        Assert.Equal(0, aggregator.Snapshot().Transfers);
    }

    [Fact]
    public void Lease_events_are_counted_by_kind()
    {
        var aggregator = new TelemetryAggregator();
        aggregator.RecordLease(LeaseEventKind.Granted, 10);
        aggregator.RecordLease(LeaseEventKind.Granted, 6);
        aggregator.RecordLease(LeaseEventKind.Granted, 4);
        aggregator.RecordLease(LeaseEventKind.Extended, 10);
        aggregator.RecordLease(LeaseEventKind.Released, 10);
        aggregator.RecordLease(LeaseEventKind.Expired, 6);

        var snapshot = aggregator.Snapshot();

        Assert.Equal((3L, 1L, 1L, 1L), (snapshot.LeasesGranted, snapshot.LeasesExtended, snapshot.LeasesReleased, snapshot.LeasesExpired));
        Assert.Equal(20, snapshot.LeasedBlocks);
        Assert.Equal(1, snapshot.OpenLeases);
    }

    [Fact]
    public void Open_leases_never_go_negative()
    {
        var aggregator = new TelemetryAggregator();
        aggregator.RecordLease(LeaseEventKind.Released, 1);

        Assert.Equal(0, aggregator.Snapshot().OpenLeases);
    }

    [Fact]
    public void Bad_lease_events_are_rejected()
    {
        var aggregator = new TelemetryAggregator();

        Assert.Throws<ArgumentOutOfRangeException>(() => aggregator.RecordLease((LeaseEventKind)42, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => aggregator.RecordLease(LeaseEventKind.Granted, -1));
        Assert.Equal(0, aggregator.Snapshot().LeasesGranted);
    }

    [Fact]
    public void Observers_see_every_accepted_report()
    {
        var observer = new RecordingObserver();
        var aggregator = new TelemetryAggregator([observer]);

        aggregator.RecordTransfer(new TransferRecord("p", "d", 7, 0.1, false));
        aggregator.RecordLease(LeaseEventKind.Expired, 3);
        Assert.ThrowsAny<ArgumentException>(() => aggregator.RecordLease(LeaseEventKind.Granted, -3));

        Assert.Equal([new TransferRecord("p", "d", 7, 0.1, false)], observer.Transfers);
        Assert.Equal([(LeaseEventKind.Expired, 3)], observer.Leases);
    }

    [Fact]
    public async Task Concurrent_reports_all_count()
    {
        var aggregator = new TelemetryAggregator();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                aggregator.RecordTransfer(new TransferRecord("p", "d", 2, 0.001, true));
                aggregator.RecordLease(LeaseEventKind.Granted, 1);
            }
        })));

        var snapshot = aggregator.Snapshot();
        Assert.Equal(4000, snapshot.Transfers);
        Assert.Equal(8000, snapshot.Bytes);
        Assert.Equal(4000, snapshot.Durations.Count);
        Assert.Equal(4000, snapshot.LeasesGranted);
    }
}
