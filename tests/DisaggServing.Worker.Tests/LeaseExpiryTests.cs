using DisaggServing.Protocol;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>Leases free a prefill's blocks when no decoder pulls them; pullers can extend and release them.</summary>
public sealed class LeaseExpiryTests(ShortLeaseFixture fixture) : IClassFixture<ShortLeaseFixture>
{
    private WorkerHost Prefill => fixture.Prefill;
    private WorkerHost Decode => fixture.Decode;

    [Fact]
    public async Task A_lease_nobody_pulls_expires_and_frees_its_blocks()
    {
        var before = await Prefill.MetricsAsync();
        var body = Json.Of(new { prompt = Prompts.Unique("expire"), max_tokens = 4 });

        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "expire-1");

        Assert.NotNull(kv.GetProperty("remote_request_id").GetString());
        await Prefill.WaitDrainedAsync();
        var after = await Prefill.MetricsAsync();
        Assert.Equal(1, Support.Metrics.Value(after, MetricNames.NixlNumKvExpiredReqs) - Support.Metrics.Value(before, MetricNames.NixlNumKvExpiredReqs));

        // A decoder arriving too late gets FAILED_PRECONDITION and, under recompute, prefills itself.
        var decodeBefore = await Decode.MetricsAsync();
        var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
        Assert.Equal(200, status);
        Assert.Equal(4, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var decodeAfter = await Decode.MetricsAsync();
        Assert.Equal(1, Support.Metrics.Value(decodeAfter, MetricNames.NixlNumFailedTransfers) - Support.Metrics.Value(decodeBefore, MetricNames.NixlNumFailedTransfers));
        await Decode.WaitDrainedAsync();
    }
}
