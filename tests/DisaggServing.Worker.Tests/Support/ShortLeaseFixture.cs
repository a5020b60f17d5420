namespace DisaggServing.Worker.Tests.Support;

/// <summary>A prefill worker whose leases last half a second, and a decode worker.</summary>
public sealed class ShortLeaseFixture : IAsyncLifetime
{
    public const double LeaseSeconds = 0.5;

    public WorkerHost Prefill { get; private set; } = null!;

    public WorkerHost Decode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-short", "InstantEngine=true", $"LeaseSeconds={LeaseSeconds}");
        Decode = await WorkerHost.StartAsync("Role=decode", "EngineId=decode-short", "InstantEngine=true");
    }

    public async Task DisposeAsync()
    {
        await Decode.DisposeAsync();
        await Prefill.DisposeAsync();
    }
}
