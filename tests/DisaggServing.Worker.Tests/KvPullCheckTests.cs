using DisaggServing.Engine.Scheduling;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Tests.Support;
using Grpc.Core;

namespace DisaggServing.Worker.Tests;

/// <summary>The prefill's pull checks over a fake lease store: the KV side channel needs only IKvLeases.</summary>
public sealed class KvPullCheckTests
{
    private static readonly WorkerSettings Settings = WorkerSettings.Resolve(new WorkerOptions
    {
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        EngineId = "prefill-seam",
    });

    private readonly FakeKvLeases _leases = new();

    public KvPullCheckTests() => _leases.Open["lease-1"] = new KvLease("lease-1", [7, 8, 9], 48, TimeSpan.FromSeconds(30));

    [Fact]
    public void A_pull_of_leased_blocks_gets_their_positions_in_the_lease()
    {
        var indices = KvPullCheck.Validate(_leases, Settings, "lease-1", Settings.ModelId, [8, 9], out _);

        Assert.NotNull(indices);
        Assert.Equal([1, 2], indices);
    }

    [Fact]
    public void A_pull_of_a_released_lease_is_a_failed_precondition()
    {
        Assert.True(_leases.ReleaseLease("lease-1"));

        Assert.Null(KvPullCheck.Validate(_leases, Settings, "lease-1", null, [7], out var refusal));
        Assert.Equal(StatusCode.FailedPrecondition, refusal.Code);
        Assert.Contains("No open lease 'lease-1'", refusal.Message);
    }

    [Fact]
    public void A_block_outside_the_lease_is_an_invalid_argument()
    {
        Assert.Null(KvPullCheck.Validate(_leases, Settings, "lease-1", null, [7, 42], out var refusal));
        Assert.Equal(StatusCode.InvalidArgument, refusal.Code);
    }
}
