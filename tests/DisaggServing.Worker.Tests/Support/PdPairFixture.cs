namespace DisaggServing.Worker.Tests.Support;

/// <summary>
/// A prefill worker and a decode worker on different virtual nodes (KV over simulated EFA), timed by the
/// performance model at 10× speed (leases of 300 s), shared by a test class.
/// </summary>
public sealed class PdPairFixture : IAsyncLifetime
{
    /// <summary>Lease length of both workers, wall-clock seconds.</summary>
    public const double LeaseSeconds = 300;

    public WorkerHost Prefill { get; private set; } = null!;

    public WorkerHost Decode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prefill = WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-0", "Node=node-a", "SpeedFactor=10", $"LeaseSeconds={LeaseSeconds}");
        var decode = WorkerHost.StartAsync("Role=decode", "EngineId=decode-0", "Node=node-b", "SpeedFactor=10", $"LeaseSeconds={LeaseSeconds}");
        Prefill = await prefill;
        Decode = await decode;
    }

    public async Task DisposeAsync()
    {
        await Decode.DisposeAsync();
        await Prefill.DisposeAsync();
    }
}
